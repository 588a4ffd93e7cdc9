using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;

namespace MzDeploy.Engine.Operations;

/// <summary>
/// The pre-flight check of every connecting command other than setup: the tracking infrastructure must exist.
/// One catalog query reads all of it (<see cref="SetupCatalog.ReadStateAsync"/>).
/// </summary>
internal static class SetupVerifier
{
    /// <summary>How many missing items a message lists before "and N more".</summary>
    public const int ListedItems = 5;

    /// <summary>Throws <c>SetupRequired</c> naming what is missing (up to five items, then "and N more").</summary>
    public static async Task VerifyAsync(CatalogSession session, bool rbacActive, CancellationToken cancellationToken)
    {
        var state = await SetupCatalog.ReadStateAsync(session, cancellationToken).ConfigureAwait(false);
        var missing = state.Missing(rbacActive);
        if (missing.Count > 0)
        {
            throw SetupRequired(missing, state.DatabaseExists);
        }
    }

    /// <summary>The <c>SetupRequired</c> error for a list of missing items.</summary>
    /// <param name="missing">What is missing, as messages name it.</param>
    /// <param name="installed">The tracking database exists: an installation is there but lacks part of what this version
    /// uses (a table a newer version added, such as the kept versions of the rollback window, or something dropped by hand).
    /// The message says that running setup again adds it, so nobody fears a reinstall.</param>
    public static MzDeployException SetupRequired(IReadOnlyList<string> missing, bool installed = false)
    {
        var listed = string.Join(", ", missing.Take(ListedItems));
        if (missing.Count > ListedItems)
        {
            listed += $" and {missing.Count - ListedItems} more";
        }

        return new MzDeployException(ErrorIds.SetupRequired,
            $"mz-deploy infrastructure is not fully initialized: missing {listed}"
            + (installed
                ? " (this version of MzDeploy uses tracking objects the existing installation lacks: running setup again adds them "
                  + "and keeps every deployment and record)"
                : ""),
            TrackingSchema.Database,
            new RunSetup());
    }
}

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
            throw SetupRequired(missing);
        }
    }

    /// <summary>The <c>SetupRequired</c> error for a list of missing items.</summary>
    public static MzDeployException SetupRequired(IReadOnlyList<string> missing)
    {
        var listed = string.Join(", ", missing.Take(ListedItems));
        if (missing.Count > ListedItems)
        {
            listed += $" and {missing.Count - ListedItems} more";
        }

        return new MzDeployException(ErrorIds.SetupRequired,
            $"mz-deploy infrastructure is not fully initialized: missing {listed}",
            TrackingSchema.Database,
            new RunSetup());
    }
}

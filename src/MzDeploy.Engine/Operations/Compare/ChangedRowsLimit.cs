using System.Globalization;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Operations.Compare;

/// <summary>The gate a promote can put on result changes: no compared object may change more rows than a limit.</summary>
internal static class ChangedRowsLimit
{
    /// <summary>The objects whose changed rows exceed <paramref name="maxChangedRows"/>, in plan order.</summary>
    public static IReadOnlyList<DeploymentComparison> Exceeding(IEnumerable<DeploymentComparison> comparisons, long maxChangedRows) =>
        comparisons.Where(c => c.ChangedRows > maxChangedRows).ToList();

    /// <summary>Throws <c>ChangedRowsExceeded</c> naming each object over the limit and its counts; returns when none is.</summary>
    public static void Check(DeployId deployId, IEnumerable<DeploymentComparison> comparisons, long maxChangedRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxChangedRows);
        var over = Exceeding(comparisons, maxChangedRows);
        if (over.Count == 0)
        {
            return;
        }

        var objects = over.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{c.Object.Production} ({c.ChangedRows} changed: {c.Result.OnlyRightCount} only in production, {c.Result.OnlyLeftCount} only in staging)"));
        throw new MzDeployException(ErrorIds.ChangedRowsExceeded,
            string.Create(CultureInfo.InvariantCulture,
                $"deployment '{deployId}' changes more than {maxChangedRows} row(s) in {over.Count} object(s): {string.Join("; ", objects)}; nothing was promoted"),
            deployId, new ReviewResultDifferences(deployId, maxChangedRows));
    }
}

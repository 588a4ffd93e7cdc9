using System.Text;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning;

namespace MzDeploy.PowerShell.Infrastructure.Ci;

/// <summary>
/// The Markdown sections the cmdlets add to a CI run's summary. They hold names, counts, statuses and reasons only — never
/// SQL, profile settings or variable values — because a statement can carry a secret's value or a connector's credentials.
/// </summary>
internal static class CiSummaries
{
    /// <summary>What a stage does (or, <paramref name="staged"/> false, would do) and why each object is redeployed.</summary>
    public static string Stage(StagePlan plan, bool staged)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var id = Markdown.Code(plan.DeployId.Value);
        var markdown = new StringBuilder();
        if (plan.IsEmpty)
        {
            markdown.AppendLine($"### MzDeploy: nothing to stage for {id}").AppendLine()
                .AppendLine("No changes compared to production.").AppendLine();
            return markdown.ToString();
        }

        markdown.AppendLine(staged ? $"### MzDeploy: staged deployment {id}" : $"### MzDeploy: stage plan for {id}").AppendLine()
            .AppendLine($"{plan.Schemas.Count} schema(s), {plan.Clusters.Count} cluster(s), {plan.StagedObjectCount} object(s)"
                + (staged ? " staged next to production." : "; nothing was created (plan only)."))
            .AppendLine();
        Mappings(markdown, "Schema", "Staging copy", plan.Schemas.Select(s => (s.Production.ToString(), s.Staging.ToString())));
        Mappings(markdown, "Cluster", "Staging copy", plan.Clusters.Select(c => (c.Production, c.Staging)));
        if (plan.Changes.Dirty.Count > 0)
        {
            markdown.AppendLine("**Why**").AppendLine();
            Markdown.Table(markdown, ["Object", "Reason"],
                plan.Changes.Dirty.Select(d => (IReadOnlyList<string>)[Markdown.Code(d.Id.ToString()), Markdown.Cell(StageMapper.Reason(d))]));
        }

        Markdown.List(markdown, "Sinks created at promotion", plan.Sinks.Select(s => s.ToString()).ToList());
        Markdown.List(markdown, "Materialized views replaced in place at promotion", plan.ReplacementMaterializedViews.Select(s => s.ToString()).ToList());
        return markdown.ToString();
    }

    /// <summary>The staging clusters' hydration when a wait ended, or that it did not end well.</summary>
    public static string Hydration(string deployId, WaitResult? result)
    {
        var markdown = new StringBuilder();
        var id = Markdown.Code(deployId);
        if (result is null)
        {
            return markdown.AppendLine($"### MzDeploy: waiting for {id} failed").AppendLine()
                .AppendLine("The deployment is not ready: see the step's log for the error.").AppendLine().ToString();
        }

        markdown.AppendLine(result.AllReady ? $"### MzDeploy: {id} is ready" : $"### MzDeploy: {id} is not ready yet").AppendLine()
            .AppendLine($"{result.Clusters.Count} staging cluster(s) after {WaitOperation.FormatElapsed(result.Elapsed)}.").AppendLine();
        if (result.Clusters.Count > 0)
        {
            Markdown.Table(markdown, ["Cluster", "Replaces", "Status", "Hydrated", "Lag (s)", "Replicas"],
                result.Clusters.Select(DeploymentMapper.ToOutput).Select(c => (IReadOnlyList<string>)
                [
                    Markdown.Code(c.Cluster),
                    c.ProductionCluster is null ? "—" : Markdown.Code(c.ProductionCluster),
                    c.FailureReason is null ? c.Status.ToString() : $"{c.Status} ({Markdown.Cell(c.FailureReason)})",
                    $"{c.HydratedObjects}/{c.TotalObjects}",
                    c.LagSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—",
                    c.ProblematicReplicas == 0 ? $"{c.Replicas}" : $"{c.Replicas} ({c.ProblematicReplicas} problematic)",
                ]));
        }

        return markdown.ToString();
    }

    /// <summary>What a promote swapped into production, created, repointed and dropped.</summary>
    public static string Promotion(MzPromotion promotion)
    {
        ArgumentNullException.ThrowIfNull(promotion);
        var markdown = new StringBuilder()
            .AppendLine($"### MzDeploy: promoted {Markdown.Code(promotion.DeployId)}").AppendLine()
            .AppendLine($"{promotion.SwappedSchemas.Length} schema(s) and {promotion.SwappedClusters.Length} cluster(s) swapped into production"
                + (promotion.Resumed ? " (finishing an interrupted promote)." : ".")
                + (promotion.Attempts > 1 ? $" The swap took {promotion.Attempts} attempts." : ""))
            .AppendLine();
        Mappings(markdown, "Schema", "Swapped with", promotion.SwappedSchemas.Select(s => (s.Production, s.Staging)));
        Mappings(markdown, "Cluster", "Swapped with", promotion.SwappedClusters.Select(c => (c.Production, c.Staging)));
        Markdown.List(markdown, "Sinks created", promotion.CreatedSinks);
        Markdown.List(markdown, "Sinks moved onto the new objects", promotion.RepointedSinks);
        Markdown.List(markdown, "Materialized views replaced in place", promotion.ReplacedMaterializedViews);
        Markdown.List(markdown, "Previous production version dropped", promotion.DroppedResources);
        Markdown.List(markdown, "Objects the project does not own, dropped", promotion.DroppedUnmanagedObjects);
        Markdown.List(markdown, "Conflicts overridden", promotion.Conflicts);
        return markdown.ToString();
    }

    private static void Mappings(StringBuilder markdown, string what, string other, IEnumerable<(string Production, string Staging)> pairs)
    {
        var rows = pairs.Select(p => (IReadOnlyList<string>)[Markdown.Code(p.Production), Markdown.Code(p.Staging)]).ToList();
        if (rows.Count > 0)
        {
            Markdown.Table(markdown, [what, other], rows);
        }
    }
}

using MzDeploy.Engine.Operations;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// The question Publish-MzDeployment asks before promoting: what is swapped into production and what is dropped, as
/// counts plus names, short enough to read in a prompt (-WhatIf prints every statement instead).
/// </summary>
internal static class PromoteQuestion
{
    /// <summary>Names listed per line before "and N more".</summary>
    private const int MaxNames = 5;

    /// <param name="action">"Promote" or "Finish promoting".</param>
    /// <param name="plan">The dry-run result of the promote.</param>
    /// <param name="server">Where (<c>host:port</c>).</param>
    public static string For(string action, PromoteResult plan, string server)
    {
        var lines = new List<string> { $"{action} deployment '{plan.DeployId}' on {server}?" };
        Add(lines, "Swap into production", "schema(s)", plan.SchemaSwaps.Select(s => s.Production.ToString()));
        Add(lines, "Swap into production", "cluster(s)", plan.ClusterSwaps.Select(c => c.Production));
        Add(lines, "Create", "sink(s)", plan.Sinks);
        Add(lines, "Repoint", "sink(s)", plan.RepointedSinks);
        Add(lines, "Replace in place", "materialized view(s)", plan.Replacements);
        Add(lines, "Overwrite", "conflicting promotion(s)", plan.Conflicts.Select(c => c.ToString()));
        Add(lines, "Then drop the previous version:", "resource(s)", plan.DroppedResources);
        Add(lines, "And drop (-DropUnmanagedObjects)", "object(s) the project does not own", plan.DroppedUnmanaged);
        return string.Join(Environment.NewLine, lines);
    }

    private static void Add(List<string> lines, string verb, string noun, IEnumerable<string> names)
    {
        var all = names.ToList();
        if (all.Count == 0)
        {
            return;
        }

        var shown = string.Join(", ", all.Take(MaxNames));
        var more = all.Count > MaxNames ? $" and {all.Count - MaxNames} more" : "";
        lines.Add($"  {verb} {all.Count} {noun}: {shown}{more}");
    }
}

using System.Text;
using MzDeploy.Engine.Planning.Review;

namespace MzDeploy.PowerShell.Infrastructure.Ci;

/// <summary>
/// A saved stage plan in Markdown, as a pull request review reads it in the run's summary: the stage's section (what is
/// staged and why), the state the plan was computed from (the commit, production's promoted deployments, the clusters it
/// clones, the fingerprint), and every statement that will run, in order. Unlike the plain stage summary it shows the SQL:
/// reviewing exactly what will run is the point of a saved plan (a stage plans no secret statement; the plan file refuses one).
/// </summary>
internal static class PlanSummary
{
    public static string Render(ReviewedStagePlan reviewed, string planPath)
    {
        ArgumentNullException.ThrowIfNull(reviewed);
        var plan = reviewed.Plan;
        var fingerprint = reviewed.Fingerprint;
        var markdown = new StringBuilder(CiSummaries.Stage(plan, staged: false));
        markdown.AppendLine($"Saved to {Markdown.Code(planPath)}. Running it runs exactly the statements below, and refuses "
                            + "(`PlanStale`) if production or the commit moved since this plan was made.").AppendLine();

        var promoted = fingerprint.Schemas.GroupBy(s => s.DeployId, StringComparer.Ordinal)
            .Select(g => $"{Markdown.Code(g.Key)} ({string.Join(", ", g.Select(s => Markdown.Code(s.Schema.ToString())))})")
            .ToList();
        markdown.AppendLine("**Computed from**").AppendLine();
        Markdown.Table(markdown, ["State", "Value"],
        [
            ["Commit", fingerprint.Commit is null ? "(not in git)" : Markdown.Code(fingerprint.Commit)],
            ["Promoted deployments", promoted.Count == 0 ? "(none: a first deploy)" : string.Join("; ", promoted)],
            ["Production objects", $"{fingerprint.Objects.Count}"],
            .. fingerprint.Clusters.Select(c => (IReadOnlyList<string>)[$"Cluster {Markdown.Code(c.Name)}", Markdown.Cell(c.Configuration)]),
            ["Fingerprint", Markdown.Code(fingerprint.Digest)],
        ]);

        if (plan.Statements.Count > 0)
        {
            var sql = string.Join(Environment.NewLine, plan.Statements.Select(s => s.Sql + ";"));
            var fence = new string('`', Math.Max(3, LongestBacktickRun(sql) + 1));
            // Folded: the tables above are what most reviews read; the exact SQL is one click away.
            markdown.AppendLine($"<details><summary>Statements ({plan.Statements.Count})</summary>").AppendLine()
                .AppendLine(fence + "sql").AppendLine(sql).AppendLine(fence).AppendLine()
                .AppendLine("</details>").AppendLine();
        }

        return markdown.ToString();
    }

    private static int LongestBacktickRun(string text)
    {
        var longest = 0;
        var run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }
}

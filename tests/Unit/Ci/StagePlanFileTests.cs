using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine.Planning.Review;
using MzDeploy.PowerShell.Infrastructure.Ci;
using MzDeploy.PowerShell.Infrastructure.Plans;
using MzDeploy.Tests.Unit.Planning;

namespace MzDeploy.Tests.Unit.Ci;

public class StagePlanFileTests
{
    private const string Path = "/work/plans/plan.json";
    private static readonly DateTimeOffset At = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static ReviewedStagePlan Reviewed()
    {
        var plan = Plans.Stage(OrderMonitoring.Compile(OrderMonitoring.Files()), ProductionSnapshot.Empty, "r1", null, [OrderMonitoring.OrdersCluster]);
        return new ReviewedStagePlan(plan, StageFingerprint.Of("c1", ProductionSnapshot.Empty, [("u1", OrderMonitoring.OrdersCluster)]));
    }

    private static string Text() => StagePlanFile.Serialize(Reviewed(), "test", "localhost:6875", At);

    private static MzDeployException Refusal(string text) =>
        Assert.Throws<MzDeployException>(() => StagePlanFile.Parse(text, Path));

    [Fact]
    public void A_saved_plan_reads_back_as_the_same_plan_with_the_same_fingerprint()
    {
        var reviewed = Reviewed();

        var saved = StagePlanFile.Parse(StagePlanFile.Serialize(reviewed, "test", "localhost:6875", At), Path);

        var plan = saved.Reviewed.Plan;
        Assert.Equal(("test", "localhost:6875", "2026-12-05T12:00:00.0000000+00:00"), (saved.Profile, saved.Server, saved.CreatedAt));
        Assert.Equal(reviewed.Plan.DeployId, plan.DeployId);
        Assert.Equal(reviewed.Plan.Statements, plan.Statements);
        Assert.Equal(reviewed.Plan.Records.Schemas, plan.Records.Schemas);
        Assert.Equal(reviewed.Plan.Records.Objects, plan.Records.Objects);
        Assert.Equal(reviewed.Plan.Records.Clusters, plan.Records.Clusters);
        Assert.Equal(reviewed.Plan.Records.PendingStatements, plan.Records.PendingStatements);
        Assert.Equal(reviewed.Plan.Schemas, plan.Schemas);
        Assert.Equal(reviewed.Plan.Clusters, plan.Clusters);
        Assert.Equal(reviewed.Plan.Objects, plan.Objects);
        Assert.Equal(reviewed.Plan.Changes.Dirty, plan.Changes.Dirty);
        Assert.False(plan.IsEmpty);
        Assert.Equal(reviewed.Fingerprint.Digest, saved.Reviewed.Fingerprint.Digest);
        Assert.Empty(reviewed.Fingerprint.Compare(saved.Reviewed.Fingerprint));
    }

    [Fact]
    public void The_file_is_versioned_and_says_what_it_is()
    {
        var text = Text();

        Assert.Contains("\"kind\": \"MzDeploy stage plan\"", text, StringComparison.Ordinal);
        Assert.Contains("\"format\": 1", text, StringComparison.Ordinal);
        Assert.Contains("\"checksum\": \"sha256:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_edited_statement_is_refused_naming_the_file()
    {
        var edited = Text().Replace("CREATE MATERIALIZED VIEW", "CREATE VIEW", StringComparison.Ordinal);

        var error = Refusal(edited);

        Assert.Equal("PlanFileInvalid", error.Error.Id);
        Assert.Equal($"{Path} was changed after MzDeploy wrote it (its checksum does not match its content)", error.Message);
        Assert.Equal(Path, error.Target);
    }

    [Fact]
    public void Garbled_foreign_and_newer_files_are_refused_each_saying_why()
    {
        var text = Text();

        Assert.StartsWith($"{Path} is not a stage plan file: it is not valid plan JSON", Refusal(text[..(text.Length / 2)]).Message, StringComparison.Ordinal);
        Assert.Equal($"{Path} is not an MzDeploy stage plan (it has no \"kind\": \"MzDeploy stage plan\")",
            Refusal("{ \"name\": \"shop\", \"version\": \"1.0.0\" }").Message);
        Assert.Equal($"{Path} has plan format 2; this MzDeploy reads format 1",
            Refusal(text.Replace("\"format\": 1", "\"format\": 2", StringComparison.Ordinal)).Message);
        Assert.StartsWith($"{Path} is not a stage plan file", Refusal("[1, 2]").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_refused_naming_it()
    {
        var missing = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mzdeploy-no-plan-" + Guid.NewGuid().ToString("n"), "plan.json");

        var error = Assert.Throws<MzDeployException>(() => StagePlanFile.Read(missing));

        Assert.Equal(("PlanFileInvalid", $"{missing} does not exist: no plan was saved there"), (error.Error.Id, error.Message));
    }

    [Fact]
    public void A_plan_holding_a_secret_statement_is_never_written()
    {
        var reviewed = Reviewed();
        var plan = reviewed.Plan;
        var withSecret = StagePlan.Reviewed(plan.Names, plan.Changes.Dirty, plan.Schemas, plan.Clusters, plan.Objects, plan.Sinks,
            plan.ReplacementMaterializedViews,
            [.. plan.Statements, new PlannedStatement(PlannedStatementKind.CreateObject, "materialize.sales.key", "CREATE SECRET materialize.sales.key AS 'hunter2'")],
            plan.Records);

        var error = Assert.Throws<InvalidOperationException>(() =>
            StagePlanFile.Serialize(reviewed with { Plan = withSecret }, "test", "localhost:6875", At));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_shows_the_plan_what_it_was_computed_from_and_every_statement()
    {
        var reviewed = Reviewed();

        var markdown = PlanSummary.Render(reviewed, "plan.json");

        Assert.StartsWith("### MzDeploy: stage plan for `r1`", markdown, StringComparison.Ordinal);
        Assert.Contains("Saved to `plan.json`.", markdown, StringComparison.Ordinal);
        Assert.Contains("| Commit | `c1` |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Promoted deployments | (none: a first deploy) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Cluster `orders` | id u1; size 25cc; replication factor 1 |", markdown, StringComparison.Ordinal);
        Assert.Contains($"| Fingerprint | `{reviewed.Fingerprint.Digest}` |", markdown, StringComparison.Ordinal);
        Assert.Contains($"<summary>Statements ({reviewed.Plan.Statements.Count})</summary>", markdown, StringComparison.Ordinal);
        Assert.Contains("```sql\nCREATE DATABASE IF NOT EXISTS materialize;\n", markdown.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }
}

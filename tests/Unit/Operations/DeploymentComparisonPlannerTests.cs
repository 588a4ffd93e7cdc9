using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations.Compare;

namespace MzDeploy.Tests.Unit.Operations;

/// <summary>Planning a deployment's comparison with production: which objects pair up, the exact statements, the row limit.</summary>
public class DeploymentComparisonPlannerTests
{
    private static readonly StagingNames Names = new(DeployId.Parse("r7"));
    private static readonly SchemaId Sales = new("shop", "sales");

    private static ComparableRelation View(string schema, string name, string type = "view") => new(new ObjectId("shop", schema, name), type);

    [Fact]
    public void Each_staged_view_pairs_with_the_production_object_of_its_name_and_new_ones_stay_uncompared()
    {
        var relations = new[]
        {
            View("sales", "totals", "materialized-view"), View("sales_r7", "totals", "materialized-view"),
            View("sales", "daily"), View("sales_r7", "daily"),
            View("sales_r7", "brand_new"),   // no production counterpart
            View("sales", "dropped"),        // production only: the deployment removes it, nothing to compare
            View("other_r7", "daily"),       // a schema the deployment did not stage
        };

        var (pairs, uncompared) = DeploymentComparisonPlanner.Pair(Names, [Sales], relations);

        Assert.Equal(
            ["shop.sales.daily <- shop.sales_r7.daily (View)", "shop.sales.totals <- shop.sales_r7.totals (MaterializedView)"],
            pairs.Select(p => $"{p.Production} <- {p.Staging} ({p.Kind})"));
        Assert.Equal([new ObjectId("shop", "sales_r7", "brand_new")], uncompared);
    }

    [Fact]
    public void The_plan_runs_on_the_cluster_first_then_one_select_per_object_with_the_staged_version_on_the_left()
    {
        var pair = new ComparedPair(new ObjectId("shop", "sales", "totals"), new ObjectId("shop", "sales_r7", "totals"), ObjectKind.View);
        var columns = new Dictionary<ObjectId, IReadOnlyList<string>>
        {
            [pair.Staging] = ["region", "total", "added"],
            [pair.Production] = ["region", "legacy", "total"],
        };

        var plan = DeploymentComparisonPlanner.Plan(Names.DeployId, "compute_r7", [pair], [], columns, 3);

        Assert.Equal(2, plan.Statements.Count);
        Assert.Equal("SET cluster = \"compute_r7\"", plan.Statements[0]);
        Assert.StartsWith("WITH l AS (SELECT \"region\", \"total\" FROM shop.sales_r7.totals), r AS (SELECT \"region\", \"total\" FROM shop.sales.totals), ",
            plan.Statements[1]);
        Assert.Contains("FROM only_l LIMIT 3", plan.Statements[1], StringComparison.Ordinal);
        var planned = Assert.Single(plan.Objects).Comparison;
        Assert.Equal(["region", "total"], planned.Columns);
        Assert.Equal(["added"], planned.LeftOnlyColumns);
        Assert.Equal(["legacy"], planned.RightOnlyColumns);
        Assert.Equal(planned.Sql, plan.Statements[1]);
    }

    [Fact]
    public void Nothing_to_compare_sends_nothing_not_even_the_cluster_choice()
    {
        var plan = DeploymentComparisonPlanner.Plan(Names.DeployId, "compute_r7", [], [new ObjectId("shop", "sales_r7", "new")],
            new Dictionary<ObjectId, IReadOnlyList<string>>(), 10);

        Assert.Empty(plan.Statements);
        Assert.Null(plan.Cluster);
    }

    [Fact]
    public void Without_a_cluster_the_selects_run_on_the_session_cluster()
    {
        var pair = new ComparedPair(new ObjectId("shop", "sales", "v"), new ObjectId("shop", "sales_r7", "v"), ObjectKind.View);
        var columns = new Dictionary<ObjectId, IReadOnlyList<string>> { [pair.Staging] = ["a"], [pair.Production] = ["a"] };

        var plan = DeploymentComparisonPlanner.Plan(Names.DeployId, null, [pair], [], columns, 10);

        Assert.StartsWith("WITH l AS", Assert.Single(plan.Statements), StringComparison.Ordinal);
    }

    private static DeploymentComparison Compared(string name, long onlyStaging, long onlyProduction)
    {
        var production = new ObjectId("shop", "sales", name);
        var staging = new ObjectId("shop", "sales_r7", name);
        var planned = ResultComparer.Plan(staging, production, ["a"], ["a"], 0);
        var result = new RelationComparison(staging, production, ["a"], [], [], 10 + onlyStaging, 10 + onlyProduction, onlyStaging, onlyProduction, [], []);
        return new DeploymentComparison(new PlannedObjectComparison(production, staging, ObjectKind.View, planned), result);
    }

    [Fact]
    public void The_row_limit_counts_rows_only_in_production_plus_rows_only_in_staging_and_allows_exactly_the_limit()
    {
        var comparisons = new[] { Compared("same", 0, 0), Compared("changed", 2, 1) };

        ChangedRowsLimit.Check(Names.DeployId, comparisons, 3);   // 2 + 1 = 3: at the limit, allowed

        var error = Assert.Throws<MzDeployException>(() => ChangedRowsLimit.Check(Names.DeployId, comparisons, 2));
        Assert.Equal(ErrorIds.ChangedRowsExceeded, error.Error);
        Assert.Equal("deployment 'r7' changes more than 2 row(s) in 1 object(s): shop.sales.changed (3 changed: 1 only in production, "
                     + "2 only in staging); nothing was promoted", error.Message);
        Assert.Equal(new ReviewResultDifferences("r7", 2), error.Remedy);
    }

    [Fact]
    public void A_limit_of_zero_refuses_any_changed_row()
    {
        Assert.Throws<MzDeployException>(() => ChangedRowsLimit.Check(Names.DeployId, [Compared("v", 1, 0)], 0));
        ChangedRowsLimit.Check(Names.DeployId, [Compared("v", 0, 0)], 0);
    }
}

using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.Tests.Unit.Planning;

/// <summary>What a stage needs production to hold, and the one error that lists all it lacks.</summary>
public sealed class StagePrerequisitesTests
{
    private static StagePrerequisites Of(Dictionary<string, string> files, string toml = "# test\n")
    {
        var project = OrderMonitoring.Compile(files, toml);
        var changes = ChangeDetector.Compute(project, ProductionSnapshot.Empty);
        return StagePrerequisites.Of(project, changes, new StagingNames(DeployId.Parse("r1")));
    }

    [Fact]
    public void The_example_needs_its_cluster_and_the_table_its_view_reads()
    {
        var prerequisites = Of(OrderMonitoring.Files());

        Assert.Equal(["orders"], prerequisites.Clusters);
        Assert.Equal([new ObjectId("materialize", "sales", "orders")], prerequisites.Objects);
    }

    [Fact]
    public void One_error_lists_every_missing_cluster_table_and_external_dependency_with_the_way_out()
    {
        var files = OrderMonitoring.Files();
        files["models/materialize/monitoring/customers.sql"] = "CREATE VIEW customers AS SELECT name FROM crm.public.customers;";
        var prerequisites = Of(files, "dependencies = [\"crm.public.customers\"]\n");

        var error = Assert.Throws<MzDeployException>(() => prerequisites.EnsureSatisfied([], []));

        Assert.Equal(ErrorIds.PrerequisitesMissing.Id, error.ErrorId);
        Assert.Equal("production lacks 3 things this deployment needs: cluster orders (clusters/orders.sql); "
                     + "object crm.public.customers (an external dependency in project.toml); "
                     + "table materialize.sales.orders (models/materialize/sales/orders.sql)", error.Message);
        var remedy = RemedyText.Render(error.Remedy!);
        Assert.Contains("Run Invoke-MzApply to create cluster orders, table materialize.sales.orders from the project's files", remedy,
            StringComparison.Ordinal);
        Assert.Contains("The project does not define object crm.public.customers: create it outside MzDeploy", remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_is_missing_when_production_holds_it_all()
    {
        var prerequisites = Of(OrderMonitoring.Files());

        prerequisites.EnsureSatisfied(["orders"], [new ObjectId("materialize", "sales", "orders")]);
    }

    [Fact]
    public void A_cluster_no_file_defines_says_so_and_is_not_left_to_apply()
    {
        var files = OrderMonitoring.Files();
        files.Remove("clusters/orders.sql");
        var prerequisites = Of(files);

        var error = Assert.Throws<MzDeployException>(() => prerequisites.EnsureSatisfied([], [new ObjectId("materialize", "sales", "orders")]));

        Assert.Equal("production lacks cluster orders (no file under clusters/ defines it), which this deployment needs", error.Message);
        Assert.Equal("orders", error.Target);
        Assert.StartsWith("The project does not define cluster orders: create it outside MzDeploy, or correct the IN CLUSTER clause",
            RemedyText.Render(error.Remedy!), StringComparison.Ordinal);
    }

    [Fact]
    public void Objects_are_not_checked_when_they_were_not_read()
    {
        var prerequisites = Of(OrderMonitoring.Files());

        prerequisites.EnsureSatisfied(["orders"], existingObjects: null);
        Assert.Throws<MzDeployException>(() => prerequisites.EnsureSatisfied([], existingObjects: null));
    }
}

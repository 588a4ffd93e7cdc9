using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning.Delete;

namespace MzDeploy.Tests.Unit.Planning.Delete;

public sealed class DeletePlannerTests
{
    private static readonly DeleteFacts Exists = new(true, null, []);

    [Theory]
    [InlineData(InfrastructureKind.Cluster, "Big Cluster", "DROP CLUSTER \"Big Cluster\"")]
    [InlineData(InfrastructureKind.Role, "reader", "DROP ROLE \"reader\"")]
    [InlineData(InfrastructureKind.NetworkPolicy, "office", "DROP NETWORK POLICY \"office\"")]
    [InlineData(InfrastructureKind.Secret, "materialize.public.pw", "DROP SECRET \"materialize\".\"public\".\"pw\"")]
    [InlineData(InfrastructureKind.Connection, "materialize.public.pg", "DROP CONNECTION \"materialize\".\"public\".\"pg\"")]
    [InlineData(InfrastructureKind.Source, "materialize.public.counter", "DROP SOURCE \"materialize\".\"public\".\"counter\"")]
    [InlineData(InfrastructureKind.Table, "Sales.public.Orders", "DROP TABLE \"Sales\".\"public\".\"Orders\"")]
    public void Plans_one_drop_without_cascade_every_name_quoted(InfrastructureKind kind, string name, string expected)
    {
        var plan = DeletePlanner.Plan(DeleteTarget.Parse(kind, name), Exists, removeFile: false);

        Assert.Equal(expected, plan.Statement.Sql);
        Assert.Equal(PlannedStatementKind.DropObject, plan.Statement.Kind);
        Assert.DoesNotContain("CASCADE", plan.Statement.Sql, StringComparison.OrdinalIgnoreCase);
        Assert.False(plan.RemovesFile);
    }

    [Fact]
    public void A_quote_in_a_name_cannot_break_out_of_the_statement()
    {
        var plan = DeletePlanner.Plan(DeleteTarget.Parse(InfrastructureKind.Role, "x\"; DROP DATABASE materialize; --"), Exists, false);

        Assert.Equal("DROP ROLE \"x\"\"; DROP DATABASE materialize; --\"", plan.Statement.Sql);
    }

    [Theory]
    [InlineData("t")]
    [InlineData("public.t")]
    [InlineData("a..t")]
    [InlineData("a.b.c.d")]
    [InlineData(" ")]
    public void Schema_objects_need_a_database_schema_and_name(string name)
    {
        var e = Assert.Throws<MzDeployException>(() => DeleteTarget.Parse(InfrastructureKind.Table, name));

        Assert.Equal("InvalidObjectReference", e.ErrorId);
        Assert.Equal(ErrorScope.Item, e.Scope);
    }

    [Fact]
    public void Dependents_refuse_the_drop_naming_each_by_full_name()
    {
        var target = DeleteTarget.Parse(InfrastructureKind.Table, "materialize.public.orders");
        var facts = new DeleteFacts(true, null, [new ObjectDependent("materialize.public.big_orders", "view"),
            new ObjectDependent("materialize.sinks.orders_out", "sink")]);

        var e = Assert.Throws<MzDeployException>(() => DeletePlanner.Plan(target, facts, false));

        Assert.Equal("ObjectHasDependents", e.ErrorId);
        Assert.Equal("cannot drop table 'materialize.public.orders': 2 object(s) depend on it: "
            + "materialize.public.big_orders (view), materialize.sinks.orders_out (sink)", e.Message);
        Assert.Equal(new[] { "materialize.public.big_orders (view)", "materialize.sinks.orders_out (sink)" },
            Assert.IsType<DropDependentsFirst>(e.Remedy).Dependents);
    }

    [Fact]
    public void A_missing_object_is_named_and_the_file_that_still_defines_it_is_mentioned()
    {
        var target = DeleteTarget.Parse(InfrastructureKind.Cluster, "gone");

        var e = Assert.Throws<MzDeployException>(() => DeletePlanner.Plan(target, new DeleteFacts(false, null, [], "clusters/gone.sql", "/p/clusters/gone.sql"), true));

        Assert.Equal("ObjectNotFound", e.ErrorId);
        Assert.Equal("cluster 'gone' does not exist (the project still defines it in clusters/gone.sql)", e.Message);
        Assert.Equal(new CheckObjectName("clusters/gone.sql"), e.Remedy);
    }

    [Fact]
    public void A_name_held_by_another_kind_says_which()
    {
        var target = DeleteTarget.Parse(InfrastructureKind.Table, "materialize.public.v");

        var e = Assert.Throws<MzDeployException>(() => DeletePlanner.Plan(target, new DeleteFacts(false, "materialized view", []), false));

        Assert.Equal("ObjectKindMismatch", e.ErrorId);
        Assert.Equal("'materialize.public.v' is a materialized view, not a table", e.Message);
    }

    [Fact]
    public void The_file_is_removed_only_when_asked_and_one_defines_the_object()
    {
        var target = DeleteTarget.Parse(InfrastructureKind.Cluster, "orders");
        var withFile = new DeleteFacts(true, null, [], "clusters/orders.sql", "/p/clusters/orders.sql");

        Assert.True(DeletePlanner.Plan(target, withFile, removeFile: true).RemovesFile);
        Assert.False(DeletePlanner.Plan(target, withFile, removeFile: false).RemovesFile);
        Assert.False(DeletePlanner.Plan(target, Exists, removeFile: true).RemovesFile);
        Assert.Equal("clusters/orders.sql", DeletePlanner.Plan(target, withFile, removeFile: false).ProjectFile);
    }

    [Fact]
    public void The_defining_file_is_found_by_production_name_under_the_profile()
    {
        using var project = new TempProject(new Dictionary<string, string>
        {
            ["clusters/orders.sql"] = "CREATE CLUSTER orders (SIZE = 'xsmall');",
            ["roles/reader.sql"] = "CREATE ROLE reader;",
            ["models/shop/public/orders.sql"] = "CREATE TABLE orders (id int);",
            ["models/shop/public/pw.sql"] = "CREATE SECRET pw AS 'x';",
        }, "[p]\nprofile_suffix = \"_p\"\n");

        Assert.Equal("clusters/orders.sql", ProjectFileOf(project.Root, InfrastructureKind.Cluster, "orders_p"));
        Assert.Equal("roles/reader.sql", ProjectFileOf(project.Root, InfrastructureKind.Role, "reader"));
        Assert.Equal("models/shop/public/orders.sql", ProjectFileOf(project.Root, InfrastructureKind.Table, "shop_p.public.orders"));
        Assert.Equal("models/shop/public/pw.sql", ProjectFileOf(project.Root, InfrastructureKind.Secret, "shop_p.public.pw"));
        Assert.Null(ProjectFileOf(project.Root, InfrastructureKind.Cluster, "orders"));
        Assert.Null(ProjectFileOf(project.Root, InfrastructureKind.Table, "shop.public.orders"));
        Assert.Null(ProjectFileOf(project.Root, InfrastructureKind.Secret, "shop_p.public.orders"));
        Assert.Null(DeleteOperation.FindProjectFile(Path.GetTempPath(), "p", DeleteTarget.Parse(InfrastructureKind.Role, "reader"),
            NullOperationLog.Instance));
    }

    private static string? ProjectFileOf(string root, InfrastructureKind kind, string name) =>
        DeleteOperation.FindProjectFile(root, "p", DeleteTarget.Parse(kind, name), NullOperationLog.Instance)?.RelativePath;
}

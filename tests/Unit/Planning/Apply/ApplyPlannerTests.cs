using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning.Apply;
using MzDeploy.Engine.Project;

namespace MzDeploy.Tests.Unit.Planning.Apply;

/// <summary>Planning Invoke-MzApply for a real project on disk against snapshots of production.</summary>
public sealed class ApplyPlannerTests : IDisposable
{
    private const string SecretText = "hunter2-never-shown";

    private static readonly ObjectId Orders = new("shop", "raw", "orders");
    private static readonly ObjectId ApiKey = new("shop", "raw", "api_key");
    private static readonly ObjectId Pg = new("shop", "raw", "pg");

    private readonly TempProject _project = new(new Dictionary<string, string>
    {
        ["roles/analyst.sql"] = "CREATE ROLE analyst;\nCOMMENT ON ROLE analyst IS 'Reads reports';\n",
        ["clusters/ingest.sql"] = "CREATE CLUSTER ingest (SIZE = 'xsmall', REPLICATION FACTOR = 1);\nGRANT USAGE ON CLUSTER ingest TO analyst;\n",
        ["models/shop/raw/api_key.sql"] = "CREATE SECRET api_key AS env_var('SHOP_API_KEY');\n",
        ["models/shop/raw/pg.sql"] = "CREATE CONNECTION pg TO POSTGRES (HOST 'db.example.com', PORT 5432, USER 'app', PASSWORD SECRET api_key, DATABASE 'shop');\n",
        ["models/shop/raw/orders.sql"] = "CREATE TABLE orders (id int NOT NULL, note text);\nGRANT SELECT ON orders TO analyst;\nCOMMENT ON TABLE orders IS 'All orders';\n",
    });

    public void Dispose() => _project.Dispose();

    private CompiledProject Compile()
    {
        var project = ProjectCompiler.Compile(_project.Root, null);
        Assert.Empty(project.Diagnostics);
        return project;
    }

    private static ApplyOptions Options(string? secret = SecretText) => new()
    {
        Environment = new MapEnvironment(secret is null ? [] : [new("SHOP_API_KEY", secret)]),
    };

    /// <summary>Production exactly as the project defines it.</summary>
    private static InfrastructureSnapshot Converged(Func<InfrastructureCluster, InfrastructureCluster>? cluster = null,
        Func<InfrastructureObject, InfrastructureObject>? orders = null, IEnumerable<InfrastructureObject>? extraObjects = null,
        IEnumerable<InfrastructureCluster>? extraClusters = null)
    {
        var ingest = new InfrastructureCluster("ingest", true)
        {
            Size = "xsmall",
            ReplicationFactor = 1,
            IntrospectionDebugging = false,
            Grants = [new("USAGE", "analyst")],
        };
        var table = new InfrastructureObject(Orders, InfrastructureKind.Table)
        {
            Columns = [new("id", "integer", false), new("note", "text", true)],
            Grants = [new("SELECT", "analyst")],
            Comment = "All orders",
        };
        var objects = new List<InfrastructureObject>
        {
            new(ApiKey, InfrastructureKind.Secret),
            new(Pg, InfrastructureKind.Connection)
            {
                Type = "postgres",
                CreateSql = "CREATE CONNECTION \"shop\".\"raw\".\"pg\" TO POSTGRES (DATABASE = 'shop', HOST = 'db.example.com', "
                    + "PASSWORD = SECRET \"shop\".\"raw\".\"api_key\", PORT = 5432, USER = 'app')",
            },
            orders is null ? table : orders(table),
        };
        objects.AddRange(extraObjects ?? []);
        var clusters = new[] { cluster is null ? ingest : cluster(ingest) }.Concat(extraClusters ?? []);
        return new InfrastructureSnapshot
        {
            Databases = new HashSet<string> { "shop" },
            Schemas = new HashSet<SchemaId> { new("shop", "raw") },
            Roles = new Dictionary<string, InfrastructureRole> { ["analyst"] = new("analyst") { Login = false, Comment = "Reads reports" } },
            Clusters = clusters.ToDictionary(c => c.Name),
            Objects = objects.ToDictionary(o => o.Id),
        };
    }

    private static string[] Sql(ApplyPlan plan) => plan.Statements.Select(s => s.Sql).ToArray();

    [Fact]
    public void From_empty_everything_is_created_in_dependency_order_with_grants_and_comments_after_their_object()
    {
        var plan = ApplyPlanner.Plan(Compile(), InfrastructureSnapshot.Empty, Options());

        Assert.All(plan.Items, i => Assert.Equal(ApplyAction.Created, i.Action));
        Assert.Equal(new[]
        {
            "CREATE ROLE \"analyst\"",
            "COMMENT ON ROLE \"analyst\" IS 'Reads reports'",
            "CREATE CLUSTER \"ingest\" (SIZE = 'xsmall', REPLICATION FACTOR = 1)",
            "GRANT USAGE ON CLUSTER \"ingest\" TO \"analyst\"",
            "CREATE DATABASE IF NOT EXISTS \"shop\"",
            "CREATE SCHEMA IF NOT EXISTS \"shop\".\"raw\"",
            "CREATE SECRET \"shop\".\"raw\".\"api_key\" AS '***'",
            "CREATE CONNECTION \"shop\".\"raw\".\"pg\" TO POSTGRES (HOST 'db.example.com', PORT 5432, USER 'app', PASSWORD SECRET \"shop\".\"raw\".\"api_key\", DATABASE 'shop')",
            "CREATE TABLE \"shop\".\"raw\".\"orders\" (id int NOT NULL, note text)",
            "GRANT SELECT ON TABLE \"shop\".\"raw\".\"orders\" TO \"analyst\"",
            "COMMENT ON TABLE \"shop\".\"raw\".\"orders\" IS 'All orders'",
        }, Sql(plan));
        Assert.Equal(
            [InfrastructureKind.Role, InfrastructureKind.Cluster, InfrastructureKind.Secret, InfrastructureKind.Connection, InfrastructureKind.Table],
            plan.Items.Select(i => i.Type));
    }

    [Fact]
    public void A_production_that_matches_the_project_is_unchanged_and_runs_nothing()
    {
        var plan = ApplyPlanner.Plan(Compile(), Converged(), Options());

        Assert.All(plan.Items, i => Assert.Equal(ApplyAction.Unchanged, i.Action));
        Assert.Equal(5, plan.Items.Count);
        Assert.Empty(plan.Statements);
        Assert.False(plan.HasChanges);
    }

    [Fact]
    public void An_existing_secret_is_left_alone_without_a_value_so_a_missing_variable_does_not_matter()
    {
        var plan = ApplyPlanner.Plan(Compile(), Converged(), Options(secret: null));

        Assert.Equal(ApplyAction.Unchanged, plan.OfType(InfrastructureKind.Secret).Single().Action);
    }

    [Fact]
    public void A_size_change_alters_the_cluster_in_place()
    {
        var plan = ApplyPlanner.Plan(Compile(), Converged(cluster: c => c with { Size = "small", ReplicationFactor = 2 }), Options());

        var item = plan.OfType(InfrastructureKind.Cluster).Single();
        Assert.Equal(ApplyAction.Altered, item.Action);
        Assert.Equal(["ALTER CLUSTER \"ingest\" SET (SIZE = 'xsmall', REPLICATION FACTOR = 1)"], item.Statements.Select(s => s.Sql));
        Assert.Contains("SIZE small → xsmall", item.Reason);
        Assert.Equal(item.Statements, plan.Statements);
    }

    [Fact]
    public void Grants_missing_from_production_are_granted_and_extra_ones_revoked()
    {
        var plan = ApplyPlanner.Plan(Compile(),
            Converged(orders: t => t with { Grants = [new("INSERT", "loader")], Comment = null }), Options());

        var item = plan.OfType(InfrastructureKind.Table).Single();
        Assert.Equal(ApplyAction.Altered, item.Action);
        Assert.Equal(new[]
        {
            "GRANT SELECT ON TABLE \"shop\".\"raw\".\"orders\" TO \"analyst\"",
            "REVOKE INSERT ON TABLE \"shop\".\"raw\".\"orders\" FROM \"loader\"",
            "COMMENT ON TABLE \"shop\".\"raw\".\"orders\" IS 'All orders'",
        }, item.Statements.Select(s => s.Sql));
    }

    [Fact]
    public void A_change_Materialize_cannot_make_in_place_is_drifted_with_the_reason_and_nothing_is_dropped()
    {
        var plan = ApplyPlanner.Plan(Compile(),
            Converged(orders: t => t with { Columns = [new("id", "bigint", false), new("note", "text", true), new("legacy", "text", true)] }),
            Options());

        var item = plan.OfType(InfrastructureKind.Table).Single();
        Assert.Equal(ApplyAction.Drifted, item.Action);
        Assert.Empty(item.Statements);
        Assert.Contains("column id is bigint in production but int in the project", item.Reason);
        Assert.Contains("column legacy exists in production but not in the project", item.Reason);
        Assert.DoesNotContain(plan.Statements, s => s.Sql.Contains("DROP", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_new_nullable_column_is_added_in_place()
    {
        var plan = ApplyPlanner.Plan(Compile(), Converged(orders: t => t with { Columns = [new("id", "integer", false)] }), Options());

        var item = plan.OfType(InfrastructureKind.Table).Single();
        Assert.Equal(ApplyAction.Altered, item.Action);
        Assert.Equal(["ALTER TABLE \"shop\".\"raw\".\"orders\" ADD COLUMN \"note\" text"], item.Statements.Select(s => s.Sql));
    }

    [Fact]
    public void A_changed_connection_option_is_set_in_place()
    {
        var snapshot = Converged();
        var objects = snapshot.Objects.ToDictionary();
        objects[Pg] = objects[Pg] with { CreateSql = objects[Pg].CreateSql!.Replace("db.example.com", "old.example.com", StringComparison.Ordinal) };

        var plan = ApplyPlanner.Plan(Compile(), new InfrastructureSnapshot
        {
            Databases = snapshot.Databases,
            Schemas = snapshot.Schemas,
            Roles = snapshot.Roles,
            Clusters = snapshot.Clusters,
            Objects = objects,
        }, Options());

        var item = plan.OfType(InfrastructureKind.Connection).Single();
        Assert.Equal(ApplyAction.Altered, item.Action);
        Assert.Equal(["ALTER CONNECTION \"shop\".\"raw\".\"pg\" SET (HOST = 'db.example.com')"], item.Statements.Select(s => s.Sql));
    }

    [Fact]
    public void Objects_production_holds_and_the_project_does_not_define_are_reported_unmanaged_and_untouched()
    {
        var plan = ApplyPlanner.Plan(Compile(),
            Converged(extraObjects: [new(new ObjectId("shop", "raw", "old_orders"), InfrastructureKind.Table)],
                extraClusters: [new("legacy", true) { Size = "xsmall" }, new("ingest_r1", true) { Size = "xsmall" },
                    new("_mz_deploy_server", true) { Size = "xsmall" }]),
            Options());

        var unmanaged = plan.Items.Where(i => i.Action == ApplyAction.Unmanaged).ToList();
        Assert.Equal(["Cluster legacy", "Table shop.raw.old_orders"], unmanaged.Select(i => $"{i.Type} {i.Name}"));
        Assert.All(unmanaged, i => Assert.Empty(i.Statements));
        Assert.Empty(plan.Statements);
    }

    [Fact]
    public void A_secret_value_appears_in_no_display_string_only_in_the_statement_run()
    {
        var plan = ApplyPlanner.Plan(Compile(), InfrastructureSnapshot.Empty, Options());
        var secret = plan.OfType(InfrastructureKind.Secret).Single();

        var shown = plan.Items.SelectMany(i => new[] { i.ToString(), i.Reason, i.Name })
            .Concat(plan.Statements.SelectMany(s => new[] { s.Sql, s.ToString(), $"{s}" }))
            .Append(plan.Display).Append(plan.ToString());
        Assert.DoesNotContain(shown, text => text.Contains(SecretText, StringComparison.Ordinal));
        var create = secret.Statements.Single(s => s.HasSecret);
        Assert.Equal("CREATE SECRET \"shop\".\"raw\".\"api_key\" AS '***'", create.Sql);
        Assert.Equal($"CREATE SECRET \"shop\".\"raw\".\"api_key\" AS '{SecretText}'", create.Reveal());
    }

    [Fact]
    public void An_explicit_value_alters_an_existing_secret_masked()
    {
        var options = Options() with
        {
            SecretValues = new Dictionary<string, SecretString> { ["shop.raw.api_key"] = new("it's-rotated") },
        };

        var item = ApplyPlanner.Plan(Compile(), Converged(), options).OfType(InfrastructureKind.Secret).Single();

        Assert.Equal(ApplyAction.Altered, item.Action);
        var alter = item.Statements.Single();
        Assert.Equal("ALTER SECRET \"shop\".\"raw\".\"api_key\" AS '***'", alter.Sql);
        Assert.Equal("ALTER SECRET \"shop\".\"raw\".\"api_key\" AS 'it''s-rotated'", alter.Reveal());
        Assert.DoesNotContain("rotated", item.ToString());
    }

    [Fact]
    public void An_unresolvable_secret_is_refused_with_the_reason_not_thrown()
    {
        var plan = ApplyPlanner.Plan(Compile(), InfrastructureSnapshot.Empty, Options(secret: null));

        var item = plan.OfType(InfrastructureKind.Secret).Single();
        Assert.Equal(ApplyAction.Refused, item.Action);
        Assert.Equal("failed to resolve secret 'shop.raw.api_key': environment variable SHOP_API_KEY is not set", item.Reason);
        Assert.Empty(item.Statements);
    }

    [Fact]
    public void The_type_filter_and_skip_secrets_narrow_the_plan()
    {
        var clustersOnly = ApplyPlanner.Plan(Compile(), InfrastructureSnapshot.Empty,
            Options() with { Types = new HashSet<InfrastructureKind> { InfrastructureKind.Cluster } });
        var noSecrets = ApplyPlanner.Plan(Compile(), InfrastructureSnapshot.Empty, Options(secret: null) with { SkipSecrets = true });

        Assert.Equal([InfrastructureKind.Cluster], clustersOnly.Items.Select(i => i.Type));
        Assert.DoesNotContain(noSecrets.Items, i => i.Type == InfrastructureKind.Secret);
        Assert.DoesNotContain(noSecrets.Statements, s => s.Sql.Contains("SECRET \"shop\".\"raw\".\"api_key\" AS", StringComparison.Ordinal));
        Assert.Contains(noSecrets.Items, i => i.Type == InfrastructureKind.Connection && i.Action == ApplyAction.Created);
    }
}

using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.Tests.Unit.Compile;

public class ProjectCompilerTests
{
    private static CompiledProject Compile(Dictionary<string, string> files, string toml = "# test\n", string? profile = null)
    {
        using var project = new TempProject(files, toml);
        return ProjectCompiler.Compile(project.Root, profile);
    }

    private static Diagnostic Single(CompiledProject project, string errorId) =>
        Assert.Single(project.Diagnostics, d => d.ErrorId == errorId);

    [Fact]
    public void Objects_come_in_dependency_order_with_kind_cluster_and_location()
    {
        var project = Compile(new()
        {
            ["models/materialize/raw/orders.sql"] = "CREATE TABLE orders (id int, status text);",
            ["models/materialize/app/open_orders.sql"] = "-- open ones\n\nCREATE MATERIALIZED VIEW open_orders IN CLUSTER app AS\nSELECT id FROM raw.orders WHERE status = 'open';",
            ["models/materialize/app/summary.sql"] = "CREATE VIEW summary AS SELECT count(*) FROM open_orders;",
        });

        Assert.Empty(project.Diagnostics);
        Assert.Equal(new[] { "materialize.raw.orders", "materialize.app.open_orders", "materialize.app.summary" },
            project.Objects.Select(o => o.Id.ToString()));
        var mv = project.Objects[1];
        Assert.Equal(ObjectKind.MaterializedView, mv.Kind);
        Assert.Equal("app", mv.Cluster);
        Assert.Equal(new SourceLocation("models/materialize/app/open_orders.sql", 3, 1), mv.Location);
        Assert.Equal(new[] { "materialize.raw.orders" }, mv.DependsOn.Select(d => d.ToString()));
    }

    [Fact]
    public void Declared_dependencies_and_system_schemas_resolve_but_unknown_names_do_not()
    {
        var project = Compile(new()
        {
            ["models/materialize/app/a.sql"] = "CREATE VIEW a AS SELECT * FROM ext.sales.orders JOIN mz_catalog.mz_tables t ON true JOIN mz_objects o ON true;",
            ["models/materialize/app/b.sql"] = "CREATE VIEW b AS\nSELECT * FROM ext.sales.customers;",
        }, "dependencies = [\"ext.sales.orders\"]\n");

        var error = Single(project, ErrorIds.UnresolvedReference.Id);
        Assert.Equal(new SourceLocation("models/materialize/app/b.sql", 2, 15), error.Location);
        Assert.Contains("ext.sales.customers", error.Message);
        // mz-deploy's hint: a dependencies = [...] snippet, and locking the new dependency's columns.
        Assert.Equal(new DeclareDependency("ext.sales.customers", "models/ext/sales/customers.sql"), error.Remedy);
        Assert.Contains("dependencies = [\"ext.sales.customers\"]", RemedyText.Render(error.Remedy!));
        Assert.Contains("Update-MzTypeLock", RemedyText.Render(error.Remedy!));
        Assert.Equal(new[] { "ext.sales.orders" }, project.Objects.Single(o => o.Id.Name == "a").DependsOn.Select(d => d.ToString()));
    }

    [Fact]
    public void A_CTE_named_like_a_missing_table_is_not_a_reference()
    {
        var project = Compile(new()
        {
            ["models/materialize/app/v.sql"] = "CREATE VIEW v AS WITH ghosts AS (SELECT 1 AS x) SELECT x FROM ghosts;",
        });
        Assert.Empty(project.Diagnostics);
    }

    [Fact]
    public void Every_syntax_error_is_reported_with_its_position()
    {
        var project = Compile(new()
        {
            ["models/materialize/app/a.sql"] = "CREATE VIEW a AS\nSELECT 1 +;\n",
            ["models/materialize/app/b.sql"] = "CREATE VIEW b AS SELECT (1;",
        });

        var errors = project.Diagnostics.Where(d => d.ErrorId == ErrorIds.SqlSyntaxError.Id).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Equal(("models/materialize/app/a.sql", 2), (errors[0].Location!.File, errors[0].Location!.Line));
        Assert.Equal("models/materialize/app/b.sql", errors[1].Location!.File);
    }

    [Fact]
    public void Two_primary_statements_in_one_file_are_rejected_at_the_second()
    {
        var project = Compile(new() { ["models/materialize/app/a.sql"] = "CREATE VIEW a AS SELECT 1;\nCREATE VIEW b AS SELECT 2;" });
        Assert.Equal(2, Single(project, ErrorIds.MultiplePrimaryStatements.Id).Location!.Line);
    }

    [Fact]
    public void The_object_must_be_named_after_its_file()
    {
        var project = Compile(new() { ["models/materialize/app/a.sql"] = "CREATE VIEW other.b AS SELECT 1;" });
        var error = Single(project, ErrorIds.ObjectNameMismatch.Id);
        Assert.Contains("materialize.app.a", error.Message);
        Assert.Contains("materialize.other.b", error.Message);
        Assert.Equal(13, error.Location!.Column);
    }

    [Fact]
    public void A_file_without_its_object_is_reported()
    {
        var project = Compile(new() { ["models/materialize/app/a.sql"] = "COMMENT ON VIEW a IS 'x';" });
        Single(project, ErrorIds.MissingPrimaryStatement.Id);
    }

    [Theory]
    [InlineData("clusters/c.sql", "CREATE VIEW c AS SELECT 1;")]
    [InlineData("roles/r.sql", "CREATE CLUSTER r (SIZE = '1');")]
    [InlineData("models/materialize/app/v.sql", "CREATE VIEW v AS SELECT 1;\nCREATE CLUSTER c (SIZE = '1');")]
    [InlineData("models/materialize/app.sql", "CREATE VIEW v AS SELECT 1;")]
    public void Statements_outside_their_folder_are_rejected(string path, string sql)
    {
        var project = Compile(new() { [path] = sql });
        var error = project.Diagnostics.First(d => d.ErrorId == ErrorIds.StatementNotAllowed.Id);
        Assert.Equal(path, error.Location!.File);
    }

    [Fact]
    public void Cluster_role_and_schema_files_with_their_statements_compile()
    {
        var project = Compile(new()
        {
            ["clusters/app.sql"] = "CREATE CLUSTER app (SIZE = '25cc');\nGRANT USAGE ON CLUSTER app TO analyst;\nCOMMENT ON CLUSTER app IS 'serving';",
            ["roles/analyst.sql"] = "CREATE ROLE analyst;\nGRANT analyst TO alice;",
            ["models/materialize/app.sql"] = "COMMENT ON SCHEMA materialize.app IS 'the app';\nGRANT USAGE ON SCHEMA materialize.app TO analyst;",
            ["models/materialize/app/v.sql"] = "CREATE VIEW v AS SELECT 1 AS x;",
        });
        Assert.Empty(project.Diagnostics);
        Assert.Equal(3, project.Definitions.Count);
    }

    [Fact]
    public void The_same_object_defined_twice_is_reported_naming_both_files()
    {
        var project = Compile(new()
        {
            ["models/materialize/app/a.sql"] = "CREATE VIEW a AS SELECT 1;",
            ["models/materialize/app/b.sql"] = "CREATE VIEW materialize.app.a AS SELECT 2;",
        });
        var error = Single(project, ErrorIds.DuplicateObject.Id);
        Assert.Contains("models/materialize/app/a.sql", error.Message);
        Assert.Contains("models/materialize/app/b.sql", error.Message);
    }

    [Fact]
    public void A_cycle_is_reported_once_naming_its_members_in_order()
    {
        var project = Compile(new()
        {
            ["models/materialize/app/a.sql"] = "CREATE VIEW a AS SELECT * FROM b;",
            ["models/materialize/app/b.sql"] = "CREATE VIEW b AS SELECT * FROM a;",
            ["models/materialize/app/c.sql"] = "CREATE VIEW c AS SELECT * FROM c;",
        });
        var cycles = project.Diagnostics.Where(d => d.ErrorId == ErrorIds.DependencyCycle.Id).Select(d => d.Message).ToList();
        Assert.Equal(new[] { "dependency cycle: materialize.app.a → materialize.app.b → materialize.app.a", "dependency cycle: materialize.app.c → materialize.app.c" }, cycles);
        Assert.Equal(3, project.Objects.Count);
    }

    [Theory]
    [InlineData("CREATE TABLE t (id int);")]
    [InlineData("CREATE SOURCE t FROM LOAD GENERATOR COUNTER;")]
    public void Indexes_on_tables_and_sources_are_rejected(string primary)
    {
        var project = Compile(new() { ["models/materialize/raw/t.sql"] = primary + "\nCREATE INDEX t_idx ON t (id);" });
        var error = Single(project, ErrorIds.IndexOnStorageObject.Id);
        Assert.Equal(2, error.Location!.Line);
        Assert.Contains("view", RemedyText.Render(error.Remedy!));
    }

    [Fact]
    public void An_index_must_be_on_its_files_object()
    {
        var project = Compile(new()
        {
            ["models/materialize/app/v.sql"] = "CREATE VIEW v AS SELECT 1 AS x;\nCREATE INDEX w_idx ON w (x);",
            ["models/materialize/app/w.sql"] = "CREATE VIEW w AS SELECT 1 AS x;",
        });
        Single(project, ErrorIds.IndexOnOtherObject.Id);
    }

    [Fact]
    public void A_schema_mixing_storage_and_views_is_rejected_once()
    {
        var project = Compile(new()
        {
            ["models/materialize/app/t.sql"] = "CREATE TABLE t (id int);",
            ["models/materialize/app/s.sql"] = "CREATE SECRET s AS 'x';",
            ["models/materialize/app/v.sql"] = "CREATE VIEW v AS SELECT id FROM t;",
        });
        var error = Single(project, ErrorIds.MixedSchema.Id);
        Assert.Contains("materialize.app", error.Message);
        Assert.Contains("table t", error.Message);
        Assert.Contains("view v", error.Message);
    }

    [Fact]
    public void Variables_come_from_the_active_profile_and_undefined_ones_are_named()
    {
        var files = new Dictionary<string, string>
        {
            ["models/materialize/app/v.sql"] = "CREATE VIEW v AS SELECT :'label' AS label, :n AS n, 1 AS \":not_a_var\" -- :nor_this\n;",
        };
        const string toml = "[dev.variables]\nlabel = \"it's\"\nn = \"5\"\n[prod.variables]\nlabel = \"x\"\n";

        var dev = Compile(files, toml, "dev");
        Assert.Empty(dev.Diagnostics);
        Assert.Contains("'it''s' AS label, 5 AS n", dev.Objects[0].Source.Text);

        var prod = Compile(files, toml, "prod");
        var error = Single(prod, ErrorIds.UndefinedVariable.Id);
        Assert.Contains(":n", error.Message);
        Assert.Contains("prod", error.Message);

        var none = Compile(files, toml, null);
        Assert.All(none.Diagnostics, d => Assert.Contains("no profile is selected", d.Message));
    }

    [Fact]
    public void A_profile_override_file_replaces_the_base_file_and_a_broken_variant_fails_every_profile()
    {
        var files = new Dictionary<string, string>
        {
            ["models/materialize/raw/t.sql"] = "CREATE TABLE t (id int);",
            ["models/materialize/raw/t#prod.sql"] = "CREATE TABLE t (id bigint, note text);",
        };
        var prod = Compile(files, profile: "prod");
        Assert.Empty(prod.Diagnostics);
        Assert.Equal("models/materialize/raw/t#prod.sql", prod.Objects[0].Source.File.RelativePath);
        Assert.Equal("models/materialize/raw/t.sql", Compile(files, profile: "dev").Objects[0].Source.File.RelativePath);

        files["models/materialize/raw/t#prod.sql"] = "CREATE TABLE t (id bigint";
        Assert.Contains(Compile(files, profile: "dev").Diagnostics, d => d.ErrorId == ErrorIds.SqlSyntaxError.Id);
    }

    [Fact]
    public void Unit_tests_must_target_their_view_fully_qualified()
    {
        var project = Compile(new()
        {
            ["models/materialize/app/v.sql"] = "CREATE VIEW v AS SELECT 1 AS x;\n" +
                "EXECUTE UNIT TEST ok FOR materialize.app.v EXPECTED(x int) AS (SELECT 1);\n" +
                "EXECUTE UNIT TEST bad FOR v EXPECTED(x int) AS (SELECT 1);",
        });
        var error = Single(project, ErrorIds.InvalidUnitTest.Id);
        Assert.Equal(3, error.Location!.Line);
    }

    [Fact]
    public void Hashes_ignore_layout_and_qualification_but_follow_meaning()
    {
        string HashOf(string sql, string index = "") => Compile(new()
        {
            ["models/materialize/app/t.sql"] = "CREATE VIEW t AS SELECT 1 AS x;",
            ["models/materialize/app/v.sql"] = sql + index,
        }).Objects.Single(o => o.Id.Name == "v").Hash;

        var baseHash = HashOf("CREATE MATERIALIZED VIEW v IN CLUSTER c AS SELECT x FROM t WHERE x > 1;");
        Assert.Matches("^sha256:[0-9a-f]{64}$", baseHash);
        Assert.Equal(baseHash, HashOf("create materialized view v in cluster c as\n  select x -- c\n  from materialize.app.t\n where x > 1;"));
        Assert.Equal(baseHash, HashOf("CREATE MATERIALIZED VIEW \"v\" IN CLUSTER \"c\" AS SELECT \"x\" FROM app.t WHERE x > 1;"));
        Assert.NotEqual(baseHash, HashOf("CREATE MATERIALIZED VIEW v IN CLUSTER c AS SELECT x FROM t WHERE x > 2;"));
        Assert.NotEqual(baseHash, HashOf("CREATE MATERIALIZED VIEW v IN CLUSTER d AS SELECT x FROM t WHERE x > 1;"));
        Assert.NotEqual(baseHash, HashOf("CREATE MATERIALIZED VIEW v IN CLUSTER c AS SELECT x AS y FROM t WHERE x > 1;"));
        Assert.NotEqual(baseHash, HashOf("CREATE MATERIALIZED VIEW v IN CLUSTER c AS SELECT x FROM t WHERE x > 1;", "\nCREATE INDEX v_idx IN CLUSTER c ON v (x);"));
        Assert.Equal(
            HashOf("CREATE MATERIALIZED VIEW v IN CLUSTER c AS SELECT x FROM t WHERE x > 1;", "\nCREATE INDEX v_idx IN CLUSTER c ON v (x);"),
            HashOf("CREATE MATERIALIZED VIEW v IN CLUSTER c AS SELECT x FROM t WHERE x > 1;", "\n-- index\ncreate index v_idx in cluster c on materialize.app.v (x);"));
    }

    [Fact]
    public void Views_take_no_profile_overrides_and_variants_must_create_the_same_kind()
    {
        var views = Compile(new()
        {
            ["models/materialize/app/v.sql"] = "CREATE VIEW v AS SELECT 1 AS x;",
            ["models/materialize/app/v#prod.sql"] = "CREATE VIEW v AS SELECT 2 AS x;",
        }, profile: "prod");
        Assert.Equal("models/materialize/app/v#prod.sql", Single(views, ErrorIds.OverrideNotAllowed.Id).Location!.File);

        var kinds = Compile(new()
        {
            ["models/materialize/raw/t.sql"] = "CREATE TABLE t (id int);",
            ["models/materialize/raw/t#prod.sql"] = "CREATE SECRET t AS 'x';",
        }, profile: "dev");
        Assert.Contains("same kind", Single(kinds, ErrorIds.OverrideNotAllowed.Id).Message);
    }

    [Fact]
    public void A_missing_project_toml_is_a_clear_error()
    {
        var folder = Directory.CreateTempSubdirectory("mzdeploy-empty-");
        try
        {
            var error = Assert.ThrowsAny<MzDeployException>(() => ProjectCompiler.Compile(folder.FullName, null));
            Assert.Equal("ProjectNotFound", error.ErrorId);
        }
        finally
        {
            folder.Delete(true);
        }
    }
}

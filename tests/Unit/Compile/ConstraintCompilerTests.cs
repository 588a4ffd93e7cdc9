using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine;

namespace MzDeploy.Tests.Unit.Compile;

/// <summary>Constraint statements: every documented error at its position, and what an accepted one compiles to.</summary>
public class ConstraintCompilerTests
{
    private const string Orders = "models/materialize/raw/orders.sql";
    private const string Customers = "models/materialize/raw/customers.sql";
    private const string Mv = "models/materialize/app/order_totals.sql";
    private const string View = "models/materialize/app/order_view.sql";

    private static Dictionary<string, string> Base(string mvCompanions = "", string viewCompanions = "") => new()
    {
        [Orders] = "CREATE TABLE orders (id int, customer int, amount numeric);",
        [Customers] = "CREATE TABLE customers (id int, name text);",
        [Mv] = "CREATE MATERIALIZED VIEW order_totals IN CLUSTER app AS\nSELECT o.id, o.customer AS customer_id, sum(amount) total FROM raw.orders o GROUP BY o.id, o.customer;\n" + mvCompanions,
        [View] = "CREATE VIEW order_view AS SELECT * FROM raw.orders;\n" + viewCompanions,
    };

    private static CompiledProject Compile(Dictionary<string, string> files, string toml = "# test\n")
    {
        using var project = new TempProject(files, toml);
        return ProjectCompiler.Compile(project.Root, null);
    }

    private static Diagnostic SingleError(CompiledProject project, string errorId)
    {
        var error = Assert.Single(project.Diagnostics);
        Assert.Equal(errorId, error.ErrorId);
        return error;
    }

    [Fact]
    public void An_enforced_primary_key_compiles_to_a_companion_materialized_view_that_returns_violating_keys()
    {
        var project = Compile(Base("CREATE PRIMARY KEY IN CLUSTER checks ON order_totals (id);"));

        Assert.Empty(project.Diagnostics);
        var companion = project.Objects.Single(o => o.Id.Name == "order_totals_id_pk");
        Assert.Equal(ObjectKind.MaterializedView, companion.Kind);
        Assert.Equal("checks", companion.Cluster);
        Assert.Equal(new SourceLocation(Mv, 3, 1), companion.Location);
        Assert.Equal(Mv, companion.Source.File.RelativePath);
        Assert.Equal("materialize.app.order_totals", companion.Constraint!.On.ToString());
        Assert.Equal(new[] { "materialize.app.order_totals" }, companion.DependsOn.Select(d => d.ToString()));
        Assert.Equal("""
            CREATE MATERIALIZED VIEW materialize.app.order_totals_id_pk
            IN CLUSTER checks
            AS
            SELECT id, count(*) AS row_count
            FROM materialize.app.order_totals
            GROUP BY id
            HAVING count(*) > 1 OR id IS NULL
            """.ReplaceLineEndings("\n"), companion.Statement.Text);
        Assert.StartsWith("sha256:", companion.Hash);

        var target = project.Objects.Single(o => o.Id.Name == "order_totals");
        Assert.Equal(new[] { "PRIMARY KEY order_totals_id_pk (id)" }, target.Constraints.Select(c => c.ToString()));
        Assert.True(project.Objects.ToList().IndexOf(companion) > project.Objects.ToList().IndexOf(target), "the companion comes after its target");
    }

    [Fact]
    public void Unique_and_foreign_key_companions_have_exactly_these_queries()
    {
        var project = Compile(Base("""
            CREATE UNIQUE CONSTRAINT totals_unique IN CLUSTER checks ON order_totals (customer_id, "total");
            CREATE FOREIGN KEY IN CLUSTER checks ON order_totals (customer_id) REFERENCES raw.customers (id);
            """));

        Assert.Empty(project.Diagnostics);
        Assert.Equal("""
            CREATE MATERIALIZED VIEW materialize.app.totals_unique
            IN CLUSTER checks
            AS
            SELECT customer_id, total, count(*) AS row_count
            FROM materialize.app.order_totals
            WHERE customer_id IS NOT NULL AND total IS NOT NULL
            GROUP BY customer_id, total
            HAVING count(*) > 1
            """.ReplaceLineEndings("\n"), project.Objects.Single(o => o.Id.Name == "totals_unique").Statement.Text);
        var fk = project.Objects.Single(o => o.Id.Name == "order_totals_customer_id_fk");
        Assert.Equal("""
            CREATE MATERIALIZED VIEW materialize.app.order_totals_customer_id_fk
            IN CLUSTER checks
            AS
            SELECT constrained.*
            FROM materialize.app.order_totals AS constrained
            WHERE constrained.customer_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM materialize.raw.customers AS referenced WHERE referenced.id = constrained.customer_id)
            """.ReplaceLineEndings("\n"), fk.Statement.Text);
        Assert.Equal(new[] { "materialize.app.order_totals", "materialize.raw.customers" }, fk.DependsOn.Select(d => d.ToString()));
        Assert.Equal(new[] { "materialize.raw.orders" }, project.Objects.Single(o => o.Id.Name == "order_totals").DependsOn.Select(d => d.ToString()));
    }

    [Fact]
    public void A_not_enforced_constraint_is_metadata_only_and_leaves_the_hash_alone()
    {
        var plain = Compile(Base());
        var project = Compile(Base(
            "CREATE PRIMARY KEY NOT ENFORCED ON order_totals (id);",
            "CREATE FOREIGN KEY NOT ENFORCED view_fk ON order_view (customer) REFERENCES raw.customers (id);"));

        Assert.Empty(project.Diagnostics);
        Assert.Equal(plain.Objects.Select(o => o.Id), project.Objects.Select(o => o.Id));
        Assert.Equal(plain.Objects.Select(o => o.Hash), project.Objects.Select(o => o.Hash));
        Assert.Equal(new[] { "PRIMARY KEY order_totals_id_pk (id) NOT ENFORCED" },
            project.Objects.Single(o => o.Id.Name == "order_totals").Constraints.Select(c => c.ToString()));
        Assert.Equal(new[] { "FOREIGN KEY view_fk (customer) REFERENCES materialize.raw.customers (id) NOT ENFORCED" },
            project.Objects.Single(o => o.Id.Name == "order_view").Constraints.Select(c => c.ToString()));
    }

    [Fact]
    public void A_constraint_on_a_table_is_not_allowed()
    {
        var files = Base();
        files[Orders] += "\nCREATE PRIMARY KEY NOT ENFORCED ON orders (id);";
        var error = SingleError(Compile(files), ErrorIds.ConstraintNotAllowed.Id);
        Assert.Equal(new SourceLocation(Orders, 2, 1), error.Location);
        Assert.Contains("not allowed on table materialize.raw.orders", error.Message);
    }

    [Fact]
    public void An_enforced_constraint_on_a_view_is_not_allowed()
    {
        var error = SingleError(Compile(Base(viewCompanions: "CREATE PRIMARY KEY IN CLUSTER checks ON order_view (id);")),
            ErrorIds.EnforcedConstraintNotAllowed.Id);
        Assert.Equal(new SourceLocation(View, 2, 1), error.Location);
        Assert.Contains("enforced PRIMARY KEY constraint is not allowed on view", error.Message);
    }

    [Fact]
    public void An_enforced_constraint_without_IN_CLUSTER_is_missing_its_required_cluster()
    {
        var error = SingleError(Compile(Base("CREATE PRIMARY KEY ON order_totals (id);")), ErrorIds.ConstraintMissingCluster.Id);
        Assert.Equal(new SourceLocation(Mv, 3, 1), error.Location);
        Assert.Contains("missing its required IN CLUSTER", error.Message);
    }

    [Fact]
    public void A_not_enforced_constraint_must_not_specify_IN_CLUSTER()
    {
        var error = SingleError(Compile(Base("CREATE PRIMARY KEY NOT ENFORCED IN CLUSTER checks ON order_totals (id);")),
            ErrorIds.ConstraintClusterNotAllowed.Id);
        Assert.Equal(new SourceLocation(Mv, 3, 44), error.Location);
        Assert.Contains("must not specify IN CLUSTER", error.Message);
    }

    [Fact]
    public void A_constraint_on_another_object_is_a_reference_mismatch()
    {
        var error = SingleError(Compile(Base("CREATE PRIMARY KEY IN CLUSTER checks ON order_view (id);")), ErrorIds.ConstraintReferenceMismatch.Id);
        Assert.Equal(new SourceLocation(Mv, 3, 41), error.Location);
        Assert.Contains("materialize.app.order_view", error.Message);
    }

    [Fact]
    public void A_missing_column_is_reported_at_the_column_with_the_columns_there_are()
    {
        var error = SingleError(Compile(Base("CREATE PRIMARY KEY IN CLUSTER checks ON order_totals (id, customer);")),
            ErrorIds.ConstraintColumnNotFound.Id);
        Assert.Equal(new SourceLocation(Mv, 3, 59), error.Location);
        Assert.Contains("column customer not found in materialize.app.order_totals (its columns: id, customer_id, total)", error.Message);
    }

    [Fact]
    public void A_missing_referenced_column_is_reported_at_the_column()
    {
        var error = SingleError(Compile(Base("CREATE FOREIGN KEY IN CLUSTER checks ON order_totals (customer_id) REFERENCES raw.customers (customer_id);")),
            ErrorIds.ConstraintReferencedColumnNotFound.Id);
        Assert.Equal(new SourceLocation(Mv, 3, 94), error.Location);
        Assert.Contains("referenced column customer_id not found in materialize.raw.customers", error.Message);
    }

    [Fact]
    public void Select_star_over_a_project_table_is_expanded_for_column_checks()
    {
        var project = Compile(Base(viewCompanions: "CREATE UNIQUE CONSTRAINT NOT ENFORCED ON order_view (amount);\nCREATE UNIQUE CONSTRAINT NOT ENFORCED ON order_view (nope);"));
        var error = SingleError(project, ErrorIds.ConstraintColumnNotFound.Id);
        Assert.Equal(new SourceLocation(View, 3, 54), error.Location);
        Assert.Contains("its columns: id, customer, amount", error.Message);
    }

    [Fact]
    public void A_column_the_compiler_cannot_see_is_reported_as_unknown()
    {
        var files = Base();
        files["models/materialize/app/ext_view.sql"] = "CREATE MATERIALIZED VIEW ext_view IN CLUSTER app AS SELECT * FROM ext.sales.orders;\nCREATE PRIMARY KEY IN CLUSTER app ON ext_view (id);";
        var error = SingleError(Compile(files, "dependencies = [\"ext.sales.orders\"]\n"), ErrorIds.ConstraintColumnUnknown.Id);
        Assert.Equal(new SourceLocation("models/materialize/app/ext_view.sql", 2, 48), error.Location);
        Assert.Contains("cannot check column id", error.Message);
        Assert.Contains("SELECT *", error.Message);

        files["models/materialize/app/ext_view.sql"] = "CREATE MATERIALIZED VIEW ext_view (id, name) IN CLUSTER app AS SELECT * FROM ext.sales.orders;\nCREATE PRIMARY KEY IN CLUSTER app ON ext_view (id);";
        Assert.Empty(Compile(files, "dependencies = [\"ext.sales.orders\"]\n").Diagnostics);
    }

    [Theory]
    [InlineData("CREATE FOREIGN KEY IN CLUSTER checks ON order_totals (customer_id) REFERENCES order_view (customer);", "view materialize.app.order_view while enforced")]
    [InlineData("CREATE FOREIGN KEY NOT ENFORCED ON order_totals (customer_id) REFERENCES mz_catalog.mz_tables (id);", "system object mz_catalog.mz_tables")]
    public void A_foreign_key_to_an_invalid_target_type_is_rejected(string statement, string what)
    {
        var error = SingleError(Compile(Base(statement)), ErrorIds.ConstraintInvalidTarget.Id);
        Assert.Equal(Mv, error.Location!.File);
        Assert.Equal(3, error.Location.Line);
        Assert.Contains($"references {what}, an invalid target type", error.Message);
    }

    [Fact]
    public void A_foreign_key_to_a_view_is_allowed_when_not_enforced_and_an_unknown_target_is_unresolved()
    {
        Assert.Empty(Compile(Base("CREATE FOREIGN KEY NOT ENFORCED ON order_totals (customer_id) REFERENCES order_view (customer);")).Diagnostics);
        var error = SingleError(Compile(Base("CREATE FOREIGN KEY IN CLUSTER checks ON order_totals (customer_id) REFERENCES raw.ghosts (id);")),
            ErrorIds.UnresolvedReference.Id);
        Assert.Equal(new SourceLocation(Mv, 3, 79), error.Location);
    }

    [Fact]
    public void A_foreign_key_with_more_columns_than_it_references_is_rejected()
    {
        var error = SingleError(Compile(Base("CREATE FOREIGN KEY IN CLUSTER checks ON order_totals (customer_id, id) REFERENCES raw.customers (id);")),
            ErrorIds.ConstraintColumnCountMismatch.Id);
        Assert.Contains("2 column(s) but references 1", error.Message);
    }

    [Fact]
    public void A_companion_named_like_an_existing_object_is_a_duplicate()
    {
        var error = SingleError(Compile(Base("CREATE PRIMARY KEY order_view IN CLUSTER checks ON order_totals (id);")), ErrorIds.DuplicateObject.Id);
        Assert.Equal(new SourceLocation(Mv, 3, 1), error.Location);
    }

    [Theory]
    [InlineData("WITH x AS (SELECT 1 AS y) SELECT DISTINCT o.id FROM raw.orders o", null)]
    [InlineData("SELECT o.* FROM raw.orders AS o", null)]
    [InlineData("SELECT id::text AS id, amount * 2 doubled FROM raw.orders", null)]
    [InlineData("SELECT id FROM raw.orders UNION SELECT id FROM raw.customers", null)]
    [InlineData("SELECT a AS id, b FROM (SELECT id AS a, 1 AS b FROM raw.orders) s", null)]
    [InlineData("SELECT a, b FROM (SELECT id AS a, 1 AS b FROM raw.orders) s", "ConstraintColumnNotFound")]
    [InlineData("SELECT * FROM raw.orders o JOIN raw.customers c ON c.id = o.customer", "ConstraintColumnUnknown")]
    [InlineData("SELECT x.* FROM raw.orders o", "ConstraintColumnUnknown")]
    [InlineData("SELECT id + 1 FROM raw.orders", "ConstraintColumnUnknown")]
    [InlineData("SELECT count(*) FROM raw.orders", "ConstraintColumnUnknown")]
    public void Column_names_come_from_the_select_list_as_far_as_they_are_known(string query, string? errorId)
    {
        var files = Base();
        files["models/materialize/app/keyed.sql"] = $"CREATE MATERIALIZED VIEW keyed IN CLUSTER app AS {query};\nCREATE PRIMARY KEY IN CLUSTER app ON keyed (id);";
        var project = Compile(files);
        Assert.Equal(errorId is null ? [] : [errorId], project.Diagnostics.Select(d => d.ErrorId));
    }
}

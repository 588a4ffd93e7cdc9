using System.Text;
using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Project;

namespace MzDeploy.Tests.Unit.Project;

public class ProjectLayoutTests
{
    private static string Summary(ProjectFile f) =>
        $"{f.Kind} {f.QualifiedName}{(f.Profile is null ? "" : "#" + f.Profile)} <- {f.RelativePath}";

    [Fact]
    public void Every_folder_kind_maps_to_what_it_defines()
    {
        using var dir = new TempDirectory();
        dir.Write("models/materialize.sql", "COMMENT ON DATABASE materialize IS 'db';");
        dir.Write("models/materialize/sales.sql", "COMMENT ON SCHEMA sales IS 's';");
        dir.Write("models/materialize/sales/orders.sql", "CREATE TABLE orders (id int);");
        dir.Write("models/materialize/monitoring/stalled.sql", "CREATE VIEW stalled AS SELECT 1;");
        dir.Write("clusters/orders.sql", "CREATE CLUSTER orders (SIZE = '25cc');");
        dir.Write("roles/reader.sql", "CREATE ROLE reader;");
        dir.Write("network-policies/office.sql", "CREATE NETWORK POLICY office (RULES ());");

        var layout = ProjectLayout.Discover(dir.Path, null);

        Assert.Empty(layout.Diagnostics);
        Assert.False(layout.HasErrors);
        Assert.Equal(
        [
            "Cluster orders <- clusters/orders.sql",
            "DatabaseModifier materialize <- models/materialize.sql",
            "Object materialize.monitoring.stalled <- models/materialize/monitoring/stalled.sql",
            "SchemaModifier materialize.sales <- models/materialize/sales.sql",
            "Object materialize.sales.orders <- models/materialize/sales/orders.sql",
            "NetworkPolicy office <- network-policies/office.sql",
            "Role reader <- roles/reader.sql",
        ], layout.Files.Select(Summary));
        Assert.Equal(layout.Files, layout.AllFiles);

        var orders = layout.Files.Single(f => f.Name == "orders" && f.Kind == ProjectFileKind.Object);
        Assert.Equal("materialize", orders.Database);
        Assert.Equal("sales", orders.Schema);
        Assert.Equal("CREATE TABLE orders (id int);", orders.Text);
        Assert.Equal(Path.Combine(dir.Path, "models", "materialize", "sales", "orders.sql"), orders.FullPath);
        Assert.Null(orders.Profile);
        Assert.False(orders.IsProfileVariant);

        var schema = layout.Files.Single(f => f.Kind == ProjectFileKind.SchemaModifier);
        Assert.Equal(("materialize", "sales", "sales"), (schema.Database, schema.Schema, schema.Name));
        var database = layout.Files.Single(f => f.Kind == ProjectFileKind.DatabaseModifier);
        Assert.Equal(("materialize", (string?)null), (database.Database, database.Schema));
        Assert.Null(layout.Files.Single(f => f.Kind == ProjectFileKind.Cluster).Database);
    }

    [Fact]
    public void Names_are_kept_as_written_and_non_sql_files_are_ignored()
    {
        using var dir = new TempDirectory();
        dir.Write("models/Sales/Public/OrderTotals.sql", "x");
        dir.Write("models/Sales/Public/README.md", "docs");
        dir.Write("models/Sales/Public/notes.sql.bak", "old");
        dir.Write("models/README.md", "docs");
        dir.Write("clusters/.gitkeep", "");
        dir.Write("README.md", "docs");
        dir.Write("target/cache/x.sql", "build output");
        dir.Write("scripts/seed.sql", "INSERT ...");
        dir.Write("models/.hidden/x/y.sql", "ignored: dot folder");

        var layout = ProjectLayout.Discover(dir.Path, null);

        Assert.Empty(layout.Diagnostics);
        var file = Assert.Single(layout.Files);
        Assert.Equal("Sales.Public.OrderTotals", file.QualifiedName);
    }

    [Fact]
    public void File_text_is_read_as_UTF8_without_a_byte_order_mark()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "models", "db", "s");
        Directory.CreateDirectory(path);
        File.WriteAllBytes(Path.Combine(path, "v.sql"), [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("SELECT 'café';")]);

        var layout = ProjectLayout.Discover(dir.Path, null);

        Assert.Equal("SELECT 'café';", Assert.Single(layout.Files).Text);
    }

    [Fact]
    public void A_file_that_is_not_UTF8_is_a_diagnostic()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "models", "db", "s");
        Directory.CreateDirectory(path);
        File.WriteAllBytes(Path.Combine(path, "v.sql"), [0x53, 0xE9, 0xFF, 0x20]);

        var layout = ProjectLayout.Discover(dir.Path, null);

        var d = Assert.Single(layout.Diagnostics);
        Assert.Equal("ProjectFileUnreadable", d.ErrorId);
        Assert.Equal("models/db/s/v.sql is not valid UTF-8", d.Message);
        Assert.Empty(layout.Files);
    }

    [Fact]
    public void The_variant_for_the_active_profile_wins_and_other_variants_are_ignored_but_still_returned()
    {
        using var dir = new TempDirectory();
        dir.Write("clusters/orders.sql", "base");
        dir.Write("clusters/orders#staging.sql", "staging");
        dir.Write("clusters/orders#prod.sql", "prod");
        dir.Write("models/db/s/t.sql", "table");

        var staging = ProjectLayout.Discover(dir.Path, "staging");
        var dev = ProjectLayout.Discover(dir.Path, "dev");
        var none = ProjectLayout.Discover(dir.Path, null);

        Assert.Empty(staging.Diagnostics);
        Assert.Equal(["staging", "table"], staging.Files.Select(f => f.Text));
        Assert.Equal(["base", "table"], dev.Files.Select(f => f.Text));
        Assert.Equal(["base", "table"], none.Files.Select(f => f.Text));
        Assert.Equal("staging", staging.ActiveProfile);
        Assert.Equal(
            ["clusters/orders#prod.sql", "clusters/orders#staging.sql", "clusters/orders.sql", "models/db/s/t.sql"],
            staging.AllFiles.Select(f => f.RelativePath));
        var variant = staging.Files[0];
        Assert.Equal("orders", variant.Name);
        Assert.Equal("staging", variant.Profile);
        Assert.True(variant.IsProfileVariant);
    }

    [Fact]
    public void A_profile_only_file_is_used_only_for_its_profile()
    {
        using var dir = new TempDirectory();
        dir.Write("models/db/s/debug_view#dev.sql", "dev only");

        Assert.Equal("db.s.debug_view", Assert.Single(ProjectLayout.Discover(dir.Path, "dev").Files).QualifiedName);
        Assert.Empty(ProjectLayout.Discover(dir.Path, "prod").Files);
        Assert.Empty(ProjectLayout.Discover(dir.Path, null).Files);
        Assert.Single(ProjectLayout.Discover(dir.Path, null).AllFiles);
        Assert.Empty(ProjectLayout.Discover(dir.Path, null).Diagnostics);
    }

    [Fact]
    public void Overrides_work_for_modifiers_roles_and_network_policies_too()
    {
        using var dir = new TempDirectory();
        dir.Write("models/db.sql", "db");
        dir.Write("models/db#prod.sql", "db prod");
        dir.Write("models/db/s.sql", "s");
        dir.Write("models/db/s#prod.sql", "s prod");
        dir.Write("roles/r.sql", "r");
        dir.Write("roles/r#prod.sql", "r prod");
        dir.Write("network-policies/n.sql", "n");
        dir.Write("network-policies/n#prod.sql", "n prod");

        var layout = ProjectLayout.Discover(dir.Path, "prod");

        Assert.Empty(layout.Diagnostics);
        Assert.Equal(["db prod", "s prod", "n prod", "r prod"], layout.Files.Select(f => f.Text));
    }

    [Theory]
    [InlineData("orders#staging", "orders", "staging")]
    [InlineData("a#b#staging", "a#b", "staging")]
    [InlineData("#staging", "#staging", null)]
    [InlineData("orders#", "orders#", null)]
    [InlineData("#", "#", null)]
    [InlineData("orders", "orders", null)]
    public void A_stem_splits_on_the_last_hash_and_an_empty_side_keeps_the_whole_stem(string stem, string name, string? profile)
    {
        var variant = ProfileVariant.Parse(stem);

        Assert.Equal(new ProfileVariant(name, profile), variant);
        Assert.Equal(stem, variant.ToString());
        Assert.True(variant.AppliesTo(profile));
        Assert.Equal(profile is null, variant.AppliesTo("some-other-profile"));
    }

    [Fact]
    public void Split_rules_apply_to_real_files()
    {
        using var dir = new TempDirectory();
        dir.Write("models/db/s/a#b#staging.sql", "1");
        dir.Write("models/db/s/#x.sql", "2");
        dir.Write("models/db/s/y#.sql", "3");

        var layout = ProjectLayout.Discover(dir.Path, "staging");

        Assert.Empty(layout.Diagnostics);
        Assert.Equal(["db.s.#x", "db.s.a#b#staging", "db.s.y#"], layout.Files.Select(Summary).Select(s => s.Split(' ')[1]));
    }

    [Fact]
    public void Two_files_for_the_same_object_and_profile_are_a_conflict()
    {
        using var dir = new TempDirectory();
        // The same name in two Unicode normal forms: different files on disk, the same identifier.
        var composed = "caf\u00e9";
        var decomposed = "cafe\u0301";
        dir.Write($"models/db/s/{composed}#prod.sql", "composed");
        dir.Write($"models/db/s/{decomposed}#prod.sql", "decomposed");
        dir.Write($"clusters/{composed}.sql", "c1");
        dir.Write($"clusters/{decomposed}.sql", "c2");

        var layout = ProjectLayout.Discover(dir.Path, "prod");

        Assert.Equal(2, layout.Diagnostics.Count);
        Assert.All(layout.Diagnostics, d => Assert.Equal("ConflictingProjectFiles", d.ErrorId));
        var objectConflict = layout.Diagnostics.Single(d => d.Message.Contains("object"));
        Assert.Contains($"both define object db.s.{composed} for profile 'prod'; keep one", objectConflict.Message);
        Assert.Contains($"models/db/s/{composed}#prod.sql", objectConflict.Message);
        Assert.Contains($"models/db/s/{decomposed}#prod.sql", objectConflict.Message);
        var clusterConflict = layout.Diagnostics.Single(d => d.Message.Contains("cluster"));
        Assert.EndsWith($"both define cluster {composed}; keep one", clusterConflict.Message);
        Assert.Equal(2, layout.Files.Count);
    }

    [Fact]
    public void Files_nested_too_deep_or_at_the_root_are_diagnostics_naming_the_file()
    {
        using var dir = new TempDirectory();
        dir.Write("models/db/s/sub/x.sql", "");
        dir.Write("models/db/s/sub/deeper/y.sql", "");
        dir.Write("clusters/extra/c.sql", "");
        dir.Write("roles/a/b/r.sql", "");
        dir.Write("network-policies/n/p.sql", "");
        dir.Write("setup.sql", "");
        dir.Write("network_policies/office.sql", "");
        dir.Write("models/db/s/ok.sql", "ok");

        var layout = ProjectLayout.Discover(dir.Path, null);

        Assert.Equal("ok", Assert.Single(layout.Files).Text);
        Assert.All(layout.Diagnostics, d => Assert.Equal("UnexpectedSqlFile", d.ErrorId));
        Assert.Equal(
            ["clusters/extra/c.sql", "models/db/s/sub/deeper/y.sql", "models/db/s/sub/x.sql", "network-policies/n/p.sql",
             "network_policies/office.sql", "roles/a/b/r.sql", "setup.sql"],
            layout.Diagnostics.Select(d => d.Location!.File));
        Assert.All(layout.Diagnostics, d => Assert.StartsWith(d.Location!.File + " is not where SQL files belong", d.Message));
        Assert.Contains("folders inside a schema folder are not allowed", layout.Diagnostics.Single(d => d.Target == "models/db/s/sub/x.sql").Message);
        Assert.Contains("network-policies/ (with a hyphen)", layout.Diagnostics.Single(d => d.Target == "network_policies/office.sql").Message);
        Assert.Equal(new SourceLocation("setup.sql", 1, 1), layout.Diagnostics.Single(d => d.Target == "setup.sql").Location);
    }

    [Fact]
    public void An_upper_case_extension_is_a_diagnostic_rather_than_silently_ignored()
    {
        using var dir = new TempDirectory();
        dir.Write("models/db/s/Orders.SQL", "");

        var layout = ProjectLayout.Discover(dir.Path, null);

        Assert.Equal("models/db/s/Orders.SQL is not picked up: SQL files must end in lower-case '.sql'", Assert.Single(layout.Diagnostics).Message);
        Assert.Empty(layout.Files);
    }

    [Fact]
    public void Names_that_cannot_be_identifiers_are_diagnostics_naming_the_file_and_the_name()
    {
        using var dir = new TempDirectory();
        dir.Write("models/db/s/my.view.sql", "");
        dir.Write("models/db/ spaced/v.sql", "");
        dir.Write("clusters/.sql", "");
        dir.Write("models/db/s/fine.sql", "");

        var layout = ProjectLayout.Discover(dir.Path, null);

        Assert.Equal("fine", Assert.Single(layout.Files).Name);
        Assert.Equal(3, layout.Diagnostics.Count);
        Assert.All(layout.Diagnostics, d => Assert.Equal("InvalidObjectName", d.ErrorId));
        Assert.Contains("models/db/s/my.view.sql does not map to a valid name: 'my.view': a name must not contain '.'",
            layout.Diagnostics.Select(d => d.Message).Single(m => m.Contains("my.view")));
        Assert.Contains("' spaced': a name must not start or end with white space", layout.Diagnostics.Single(d => d.Target == "models/db/ spaced/v.sql").Message);
        Assert.Contains("a name must not be empty", layout.Diagnostics.Single(d => d.Target == "clusters/.sql").Message);
    }

    [Fact]
    public void Names_longer_than_255_UTF8_bytes_are_invalid()
    {
        // Most file systems cap a file name at 255 bytes, so this is checked on the name itself.
        Assert.Null(ProjectLayout.NameProblem(new string('\u00e9', 127)));
        Assert.Equal("a name must be at most 255 bytes long", ProjectLayout.NameProblem(new string('\u00e9', 128)));
        Assert.Equal("a name must not contain control characters", ProjectLayout.NameProblem("a\tb"));
    }

    [Fact]
    public void Ordering_is_ordinal_by_relative_path_and_does_not_depend_on_creation_order()
    {
        using var dir = new TempDirectory();
        foreach (var name in new[] { "b", "B", "a", "_z", "a_b", "aa" })
        {
            dir.Write($"models/db/s/{name}.sql", name);
        }

        var layout = ProjectLayout.Discover(dir.Path, null);

        Assert.Equal(["B", "_z", "a", "a_b", "aa", "b"], layout.Files.Select(f => f.Name));
    }

    [Fact]
    public void A_project_without_sql_folders_is_empty_and_valid_and_a_missing_root_is_ProjectNotFound()
    {
        using var dir = new TempDirectory();
        dir.Write("project.toml", "");

        var layout = ProjectLayout.Discover(dir.Path, null);
        Assert.Empty(layout.AllFiles);
        Assert.Empty(layout.Diagnostics);
        Assert.Equal(dir.Path, layout.Root);

        var e = Assert.Throws<MzDeployException>(() => ProjectLayout.Discover(Path.Combine(dir.Path, "nope"), null));
        Assert.Equal("ProjectNotFound", e.ErrorId);
    }
}

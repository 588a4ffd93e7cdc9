using MzDeploy.Engine;
using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Sandbox;
using MzDeploy.Tests.Integration.Catalog;
using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.TypeCheck;

/// <summary>A type check on a real emulator: errors at the file's line and column, columns read back, scratch dropped.</summary>
public sealed class TypeCheckOperationTests(CatalogEmulator emulator) : IClassFixture<CatalogEmulator>, IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("mzdeploy-tc-").FullName;

    public void Dispose() => TestData.DeleteQuietly(_project);

    // mz-deploy's types.lock, as it writes it (TOML, columns by name); the type check reads the columns in the file's order.
    private const string Lock = """
        # written by mz-deploy
        # (a second comment line)
        version = 1

        [[table]]
        database = "raw"
        schema = "public"
        name = "orders"
        columns = [
            { name = "amount", type = "numeric(10,2)", nullable = true },
            { name = "customer", type = "text", nullable = true },
            { name = "id", type = "bigint", nullable = false },
        ]
        """;

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_project, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private async Task<TypeCheckResult> CheckAsync()
    {
        var project = ProjectCompiler.Compile(_project, null).EnsureSucceeded();
        return await TypeCheckOperation.RunAsync(SandboxTarget.ForAddress($"127.0.0.1:{emulator.Server.Port}"), project,
            NullOperationLog.Instance, CancellationToken.None);
    }

    private async Task<long> ScratchDatabasesAsync()
    {
        await using var admin = await emulator.AdminAsync();
        return (long)(await admin.ScalarAsync("SELECT count(*) FROM mz_databases WHERE name LIKE '%\\_tc\\_%'"))!;
    }

    [Fact]
    public async Task A_valid_project_yields_each_objects_columns_and_leaves_no_scratch_database()
    {
        Write("project.toml", "dependencies = [\"raw.public.orders\"]\n");
        Write("types.lock", Lock);
        Write("models/shop/sales/big.sql", "-- orders over 100\nCREATE MATERIALIZED VIEW big IN CLUSTER quickstart AS\n  SELECT id, amount * 2 AS doubled FROM raw.public.orders WHERE amount > 100;\n");
        Write("models/shop/sales/names.sql", "CREATE VIEW names (order_id, who) AS SELECT id, upper(customer) FROM raw.public.orders;\n");
        Write("models/shop/sales/top.sql", "CREATE VIEW top AS SELECT b.id, b.doubled, n.who FROM big b JOIN names n ON n.order_id = b.id;\n");

        var result = await CheckAsync();

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        // Names and types as the planner derived them (the emulator reports every view column as nullable).
        Assert.Equal(["id bigint", "doubled numeric"],
            result.Columns[new ObjectId("shop", "sales", "big")].Select(c => $"{c.Name} {c.Type}"));
        Assert.Equal(["order_id", "who"], result.Columns[new ObjectId("shop", "sales", "names")].Select(c => c.Name));
        Assert.Equal(["id", "doubled", "who"], result.Columns[new ObjectId("shop", "sales", "top")].Select(c => c.Name));
        Assert.Equal(0L, await ScratchDatabasesAsync());
    }

    [Fact]
    public async Task Unknown_columns_functions_and_type_mismatches_are_errors_at_their_file_line_and_column()
    {
        Write("project.toml", "dependencies = [\"raw.public.orders\"]\n");
        Write("types.lock", Lock);
        Write("models/shop/sales/typo.sql", "CREATE VIEW typo AS\nSELECT id,\n       amont\nFROM raw.public.orders;\n");
        Write("models/shop/sales/mismatch.sql", "CREATE MATERIALIZED VIEW mismatch IN CLUSTER quickstart AS SELECT id FROM raw.public.orders WHERE customer = 1 + id;\n");
        Write("models/shop/sales/nofn.sql", "CREATE VIEW nofn AS SELECT no_such_fn(id) AS x FROM raw.public.orders;\n");
        Write("models/shop/sales/reader.sql", "CREATE VIEW reader AS SELECT * FROM typo;\n");

        var result = await CheckAsync();

        var errors = result.Errors.OrderBy(e => e.Location!.File, StringComparer.Ordinal).ToList();
        Assert.Equal(["TypeCheckFailed", "TypeCheckFailed", "TypeCheckFailed"], errors.Select(e => e.ErrorId));
        Assert.Equal(new SourceLocation("models/shop/sales/mismatch.sql", 1, 108), errors[0].Location);
        Assert.Contains("operator does not exist", errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("models/shop/sales/nofn.sql", 1, 28), errors[1].Location);
        Assert.Equal(new SourceLocation("models/shop/sales/typo.sql", 3, 8), errors[2].Location);
        Assert.Contains("amont", errors[2].Message, StringComparison.Ordinal);
        var skipped = Assert.Single(result.Warnings);
        Assert.Equal("TypeCheckSkipped", skipped.ErrorId);
        Assert.Contains("shop.sales.reader was not type-checked: it reads shop.sales.typo", skipped.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await ScratchDatabasesAsync());
    }

    [Fact]
    public async Task A_dependency_types_lock_lacks_is_an_error_and_what_the_sandbox_cannot_judge_is_only_a_warning()
    {
        Write("project.toml", "dependencies = [\"raw.public.orders\", \"raw.public.refunds\"]\n");
        Write("types.lock", Lock);
        Write("models/shop/sales/refunded.sql", "CREATE VIEW refunded AS SELECT * FROM raw.public.refunds;\n");
        Write("models/shop/sales/listy.sql", "CREATE VIEW listy AS SELECT list_length(LIST[1, 2]) AS n FROM raw.public.orders;\n");

        var result = await CheckAsync();

        var error = Assert.Single(result.Errors);
        Assert.Equal("DependencyNotLocked", error.ErrorId);
        Assert.Equal("models/shop/sales/refunded.sql", error.Location!.File);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("shop.sales.listy was not type-checked: the sandbox cannot judge it", warning.Message, StringComparison.Ordinal);
    }
}

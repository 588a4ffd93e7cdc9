using System.Diagnostics;
using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// DDL never waits for readers (issue 12, item 3): a session left idle in a read transaction over an object
/// does not hold up a DDL statement on that object, and its next statement sees the catalog as it is then.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class DdlReaderTests(EmulatorFixture emulator)
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    private async Task<NpgsqlConnection> OpenUnpooledAsync()
    {
        var connection = new NpgsqlConnection(emulator.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs <paramref name="sql"/> and fails the test when it has not completed within <see cref="Prompt"/>.</summary>
    private static async Task<TimeSpan> CompletesPromptlyAsync(NpgsqlConnection connection, string sql)
    {
        var clock = Stopwatch.StartNew();
        var ddl = connection.ExecAsync(sql);
        var finished = await Task.WhenAny(ddl, Task.Delay(Prompt));
        Assert.True(finished == ddl, $"'{sql}' still waits after {Prompt.TotalSeconds} s");
        await ddl;
        return clock.Elapsed;
    }

    [Fact]
    public async Task CREATE_OR_REPLACE_VIEW_completes_and_the_reader_sees_the_new_query()
    {
        await using var ddl = await emulator.OpenAsync();
        await using var reader = await OpenUnpooledAsync();
        var v = TestData.UniqueName("rv");
        await ddl.ExecAsync($"CREATE VIEW {v} AS SELECT 1 AS x");

        await using var transaction = await reader.BeginTransactionAsync();
        Assert.Equal(1, await reader.ScalarAsync($"SELECT x FROM {v}"));

        await CompletesPromptlyAsync(ddl, $"CREATE OR REPLACE VIEW {v} AS SELECT 2 AS x");
        Assert.Equal(2, await reader.ScalarAsync($"SELECT x FROM {v}"));
        await transaction.CommitAsync();
    }

    [Fact]
    public async Task DROP_TABLE_completes_and_the_reader_finds_the_table_gone()
    {
        await using var ddl = await emulator.OpenAsync();
        await using var reader = await OpenUnpooledAsync();
        var t = TestData.UniqueName("rt");
        await ddl.ExecAsync($"CREATE TABLE {t} (x int)");

        await using var transaction = await reader.BeginTransactionAsync();
        await reader.ScalarAsync($"SELECT count(*) FROM {t}");

        await CompletesPromptlyAsync(ddl, $"DROP TABLE {t}");
        var error = await reader.FailsAsync($"SELECT count(*) FROM {t}");
        Assert.Equal($"unknown catalog item '{t}'", error.MessageText);
        await transaction.RollbackAsync();
        Assert.Equal(1, await reader.ScalarAsync("SELECT 1"));
    }

    [Fact]
    public async Task A_rename_and_a_schema_swap_complete_while_a_reader_holds_a_transaction_open()
    {
        await using var ddl = await emulator.OpenAsync();
        await using var reader = await OpenUnpooledAsync();
        var a = TestData.UniqueName("ra");
        var b = TestData.UniqueName("rb");
        await ddl.ExecAsync($"CREATE SCHEMA {a}");
        await ddl.ExecAsync($"CREATE SCHEMA {b}");
        await ddl.ExecAsync($"CREATE VIEW {a}.v AS SELECT 'a' AS s");
        await ddl.ExecAsync($"CREATE VIEW {b}.v AS SELECT 'b' AS s");

        await using var transaction = await reader.BeginTransactionAsync();
        Assert.Equal("a", await reader.ScalarAsync($"SELECT s FROM {a}.v"));

        await CompletesPromptlyAsync(ddl, $"ALTER SCHEMA {a} SWAP WITH {b}");
        Assert.Equal("b", await reader.ScalarAsync($"SELECT s FROM {a}.v"));
        await CompletesPromptlyAsync(ddl, $"ALTER VIEW {a}.v RENAME TO w");
        Assert.Equal("b", await reader.ScalarAsync($"SELECT s FROM {a}.w"));
        await transaction.CommitAsync();
    }

    [Fact]
    public async Task A_swap_transaction_completes_while_a_raw_reader_waits_in_BEGIN_READ_ONLY()
    {
        await using var ddl = await emulator.OpenAsync();
        using var reader = emulator.Raw();
        var t = TestData.UniqueName("rr");
        await ddl.ExecAsync($"CREATE TABLE {t} (x int)");
        await ddl.ExecAsync($"INSERT INTO {t} VALUES (7)");

        Assert.Equal(["BEGIN", "SELECT 1"], reader.Query($"BEGIN READ ONLY; SELECT * FROM {t}"));
        Assert.Equal('T', reader.TransactionStatus);

        await CompletesPromptlyAsync(ddl, $"BEGIN; ALTER TABLE {t} RENAME TO {t}_x; COMMIT");
        // The client's transaction goes on (still read-only), now over the renamed table.
        Assert.Equal(["SELECT 1"], reader.Query($"SELECT * FROM {t}_x"));
        Assert.Equal('T', reader.TransactionStatus);
        Assert.Equal(["ERROR: transaction in read-only mode"], reader.Query($"INSERT INTO {t}_x VALUES (1)"));
        Assert.Equal(["ROLLBACK"], reader.Query("ROLLBACK"));
        Assert.Equal('I', reader.TransactionStatus);
    }
}

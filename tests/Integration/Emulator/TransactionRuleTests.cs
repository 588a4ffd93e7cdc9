namespace MzDeploy.Tests.Integration.Emulator;

[Collection(EmulatorCollection.Name)]
public sealed class TransactionRuleTests(EmulatorFixture emulator)
{
    [Fact]
    public void DDL_in_a_multi_statement_query_without_BEGIN_is_refused_and_nothing_runs()
    {
        using var raw = emulator.Raw();
        var name = TestData.UniqueName("implicit");
        var results = raw.Query($"SELECT 1; CREATE CLUSTER {name} (SIZE = 'x')");
        Assert.Equal(["SELECT 1", "ERROR: CREATE CLUSTER cannot be run inside a transaction block"], results);
        Assert.Equal(["SELECT 0"], raw.Query($"SELECT * FROM mz_clusters WHERE name = '{name}'"));
    }

    [Fact]
    public void DDL_after_another_statement_in_a_transaction_is_refused()
    {
        using var raw = emulator.Raw();
        var results = raw.Query("BEGIN; SELECT 1; CREATE TABLE never_made (x int); COMMIT");
        Assert.Equal(["BEGIN", "SELECT 1", "ERROR: CREATE TABLE cannot be run inside a transaction block"], results);
        Assert.Equal('E', raw.TransactionStatus);
        Assert.Equal(["ROLLBACK"], raw.Query("ROLLBACK"));
    }

    [Fact]
    public void One_DDL_statement_alone_in_a_transaction_is_allowed()
    {
        using var raw = emulator.Raw();
        var name = TestData.UniqueName("alone");
        Assert.Equal(["BEGIN", "CREATE TABLE", "COMMIT"], raw.Query($"BEGIN; CREATE TABLE {name} (x int); COMMIT"));
        Assert.Equal(["BEGIN", "CREATE TABLE", "ERROR: transactions which modify objects are restricted to just modifying objects"],
            raw.Query($"BEGIN; CREATE TABLE {name}_2 (x int); SELECT 1"));
        raw.Query("ROLLBACK");
    }

    [Fact]
    public void Reads_and_writes_do_not_mix_in_one_transaction()
    {
        using var raw = emulator.Raw();
        var table = TestData.UniqueName("rw");
        raw.Query($"CREATE TABLE {table} (x int)");
        Assert.Equal(["BEGIN", "SELECT 0", "ERROR: transaction in read-only mode"],
            raw.Query($"BEGIN; SELECT * FROM {table}; INSERT INTO {table} VALUES (1)"));
        raw.Query("ROLLBACK");
        Assert.Equal(["BEGIN", "INSERT 0 1", "INSERT 0 1", "ERROR: transaction in write-only mode"],
            raw.Query($"BEGIN; INSERT INTO {table} VALUES (1); INSERT INTO {table} VALUES (2); SELECT * FROM {table}"));
        raw.Query("ROLLBACK");
    }

    [Fact]
    public void Swaps_and_renames_may_share_a_transaction_but_not_with_other_DDL()
    {
        using var raw = emulator.Raw();
        var a = TestData.UniqueName("ta");
        var b = TestData.UniqueName("tb");
        raw.Query($"CREATE SCHEMA {a}");
        raw.Query($"CREATE SCHEMA {b}");
        Assert.Equal(["BEGIN", "ALTER SCHEMA", "ERROR: CREATE SCHEMA cannot be run inside a transaction block"],
            raw.Query($"BEGIN; ALTER SCHEMA {a} SWAP WITH {b}; CREATE SCHEMA {a}_z"));
        raw.Query("ROLLBACK");
    }

    [Fact]
    public async Task Npgsql_transactions_follow_the_same_rules()
    {
        await using var connection = await emulator.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await connection.ScalarAsync("SELECT 1");
        var error = await connection.FailsAsync("CREATE CLUSTER late (SIZE = 'x')");
        Assert.Equal("25001", error.SqlState);
        Assert.Equal("CREATE CLUSTER cannot be run inside a transaction block", error.MessageText);
    }

    [Fact]
    public void Only_constant_inserts_share_a_transaction()
    {
        using var raw = emulator.Raw();
        var table = TestData.UniqueName("ins");
        raw.Query($"CREATE TABLE {table} (x int)");
        Assert.Equal(["BEGIN", "INSERT 0 1", "ERROR: INSERT cannot be run inside a transaction block"],
            raw.Query($"BEGIN; INSERT INTO {table} VALUES (1); INSERT INTO {table} SELECT x FROM {table}"));
        raw.Query("ROLLBACK");
    }
}

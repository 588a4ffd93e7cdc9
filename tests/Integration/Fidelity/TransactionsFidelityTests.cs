using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Fidelity;

/// <summary>
/// Issue 12, group 7: transaction shapes Materialize refuses, refused with its words. Each case: the statements,
/// Materialize's documented answer, and where it is documented.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class TransactionsFidelityTests(EmulatorFixture emulator)
{
    // https://materialize.com/docs/sql/begin/#write-only-transactions — a write transaction holds only
    // INSERTs: DDL after a write is refused ("transaction in write-only mode") and the INSERT never lands.
    [Fact]
    public void DDL_after_a_write_is_refused_as_write_only()
    {
        using var raw = emulator.Raw();
        var table = TestData.UniqueName("wo");
        raw.Query($"CREATE TABLE {table} (x int)");
        Assert.Equal(["BEGIN", "INSERT 0 1", "ERROR: transaction in write-only mode"],
            raw.Query($"BEGIN; INSERT INTO {table} VALUES (1); CREATE TABLE {table}_2 (y int)"));
        raw.Query("ROLLBACK");
        Assert.Equal(["SELECT 0"], raw.Query($"SELECT * FROM {table}"));
    }

    // https://materialize.com/docs/sql/begin/#read-only-transactions — a read transaction takes no write.
    [Fact]
    public void A_write_after_a_read_is_refused_as_read_only()
    {
        using var raw = emulator.Raw();
        var table = TestData.UniqueName("ro");
        raw.Query($"CREATE TABLE {table} (x int)");
        Assert.Equal(["BEGIN", "SELECT 0", "ERROR: transaction in read-only mode"],
            raw.Query($"BEGIN; SELECT * FROM {table}; INSERT INTO {table} VALUES (1)"));
        raw.Query("ROLLBACK");
    }

    // https://materialize.com/docs/sql/begin/ — BEGIN READ ONLY: a write is refused with Materialize's
    // "transaction in read-only mode" (PostgreSQL would say "cannot execute INSERT in a read-only transaction").
    [Theory]
    [InlineData("BEGIN READ ONLY")]
    [InlineData("START TRANSACTION READ ONLY")]
    public void Writes_in_a_read_only_transaction_are_refused(string begin)
    {
        using var raw = emulator.Raw();
        var table = TestData.UniqueName("rot");
        raw.Query($"CREATE TABLE {table} (x int)");
        var results = raw.Query($"{begin}; INSERT INTO {table} VALUES (1)");
        Assert.Equal("ERROR: transaction in read-only mode", results[1]);
        raw.Query("ROLLBACK");
        Assert.Equal(["SELECT 0"], raw.Query($"SELECT * FROM {table}"));
    }

    // https://materialize.com/docs/sql/commit/ and /docs/sql/rollback/ — no AND CHAIN: Materialize reports it
    // as not supported rather than opening a new transaction.
    [Theory]
    [InlineData("COMMIT AND CHAIN", "COMMIT AND CHAIN not yet supported")]
    [InlineData("ROLLBACK AND CHAIN", "ROLLBACK AND CHAIN not yet supported")]
    public void AND_CHAIN_is_refused(string statement, string message)
    {
        using var raw = emulator.Raw();
        var results = raw.Query($"BEGIN; SELECT 1; {statement}");
        Assert.Equal("ERROR: " + message, results[2]);
        raw.Query("ROLLBACK");
        Assert.Equal('I', raw.TransactionStatus);
    }

    // https://materialize.com/docs/sql/subscribe/#subscribing-with-fetch — a transaction with a SUBSCRIBE may
    // only FETCH from it: another read (before or after) is refused.
    [Fact]
    public void SUBSCRIBE_does_not_mix_with_other_reads()
    {
        using var raw = emulator.Raw();
        var table = TestData.UniqueName("sub");
        raw.Query($"CREATE TABLE {table} (x int)");
        var after = raw.Query($"BEGIN; DECLARE c CURSOR FOR SUBSCRIBE {table}; FETCH ALL c; SELECT 1");
        Assert.Equal("DECLARE CURSOR", after[1]);
        Assert.StartsWith("FETCH", after[2]);
        Assert.Equal("ERROR: SUBSCRIBE in transactions must be the only read statement", after[3]);
        raw.Query("ROLLBACK");
        var before = raw.Query($"BEGIN; SELECT * FROM {table}; DECLARE c CURSOR FOR SUBSCRIBE {table}");
        Assert.Equal("ERROR: SUBSCRIBE in transactions must be the only read statement", before[2]);
        raw.Query("ROLLBACK");
    }

    // https://materialize.com/docs/sql/begin/#read-only-transactions — a read transaction holds a timestamp, not
    // locks: DDL on what it read proceeds at once, and the reader's next query is planned against the catalog
    // as it is then (a dropped view is an unknown catalog item).
    [Fact]
    public async Task DDL_does_not_wait_for_an_open_read_transaction()
    {
        using var reader = emulator.Raw();
        using var ddl = emulator.Raw();
        var v = TestData.UniqueName("rd");
        ddl.Query($"CREATE VIEW {v} AS SELECT 1 AS x");
        Assert.Equal(["BEGIN", "SELECT 1"], reader.Query($"BEGIN; SELECT * FROM {v}"));
        var drop = Task.Run(() => ddl.Query($"DROP VIEW {v}"));
        Assert.True(await Task.WhenAny(drop, Task.Delay(TimeSpan.FromSeconds(5))) == drop, "DROP VIEW waited for the reader");
        Assert.Equal(["DROP VIEW"], await drop);
        Assert.Equal([$"ERROR: unknown catalog item '{v}'"], reader.Query($"SELECT * FROM {v}"));
        reader.Query("ROLLBACK");
    }

    // Materialize serializes DDL through one catalog: a DDL transaction (SWAP/RENAME statements) whose catalog was
    // changed by another session before it commits fails at COMMIT and is rolled back (SQLSTATE 40001; the text is
    // Materialize's DDLTransactionRace error, not given in the docs). https://materialize.com/docs/sql/begin/
    [Fact]
    public void A_DDL_transaction_fails_at_COMMIT_when_another_session_changed_the_catalog()
    {
        using var first = emulator.Raw();
        using var other = emulator.Raw();
        var v = TestData.UniqueName("race");
        first.Query($"CREATE VIEW {v} AS SELECT 1 AS x");
        Assert.Equal(["BEGIN", "ALTER VIEW"], first.Query($"BEGIN; ALTER VIEW {v} RENAME TO {v}_b"));
        Assert.Equal(["CREATE TABLE"], other.Query($"CREATE TABLE {v}_other (x int)"));
        Assert.Equal(["ERROR: another session modified the catalog while this DDL transaction was open"], first.Query("COMMIT"));
        Assert.Equal('I', first.TransactionStatus);
        Assert.Equal(["SELECT 1"], first.Query($"SELECT * FROM {v}"));

        // Without a change in between, the same transaction commits.
        Assert.Equal(["BEGIN", "ALTER VIEW", "COMMIT"], first.Query($"BEGIN; ALTER VIEW {v} RENAME TO {v}_b; COMMIT"));
    }

    // Materialize fixes a transaction's cluster with its first statement: SET cluster afterwards is refused
    // ("SET cluster cannot be called in an active transaction"; the docs give no text, this is Materialize's
    // InvalidSetCluster error). Right after BEGIN it is allowed. https://materialize.com/docs/sql/set/
    [Fact]
    public void SET_cluster_inside_a_transaction_is_refused_after_its_first_statement()
    {
        using var raw = emulator.Raw();
        Assert.Equal(["BEGIN", "SELECT 1", "ERROR: SET cluster cannot be called in an active transaction"],
            raw.Query("BEGIN; SELECT 1; SET cluster = quickstart"));
        raw.Query("ROLLBACK");
        Assert.Equal(["BEGIN", "SET", "SELECT 1", "COMMIT"], raw.Query("BEGIN; SET cluster = quickstart; SELECT 1; COMMIT"));
        Assert.Equal(["SET"], raw.Query("SET cluster = quickstart"));
    }

    // https://materialize.com/docs/sql/begin/#read-only-transactions — "the objects in the first SELECT and any other
    // object in the same schemas are assumed to be possible query targets. Other queries can only reference these
    // same-schema objects"; a query with AS OF is exempt. Outside a transaction every query stands alone.
    [Fact]
    public void Reads_outside_the_first_querys_schemas_are_refused_in_a_transaction()
    {
        using var raw = emulator.Raw();
        var a = TestData.UniqueName("tda");
        var b = TestData.UniqueName("tdb");
        foreach (var setup in new[] { $"CREATE SCHEMA {a}", $"CREATE SCHEMA {b}", $"CREATE TABLE {a}.t (x int)", $"CREATE TABLE {a}.u (y int)", $"CREATE TABLE {b}.v (z int)" })
            Assert.DoesNotContain(raw.Query(setup), r => r.StartsWith("ERROR", StringComparison.Ordinal));

        var results = raw.Query($"BEGIN; SELECT x FROM {a}.t; SELECT y FROM materialize.{a}.u; SELECT z FROM {b}.v");
        Assert.Equal(["BEGIN", "SELECT 0", "SELECT 0"], results.Take(3));
        Assert.Equal("ERROR: Transactions can only reference objects in the same timedomain. " +
                     "See https://materialize.com/docs/sql/begin/#same-timedomain-error", results[3]);
        raw.Query("ROLLBACK");

        Assert.Equal(["BEGIN", "SELECT 0", "SELECT 0", "COMMIT"],
            raw.Query($"BEGIN; SELECT x FROM {a}.t; SELECT z FROM {b}.v AS OF AT LEAST 0; COMMIT"));
        Assert.Equal(["SELECT 0"], raw.Query($"SELECT x FROM {a}.t"));
        Assert.Equal(["SELECT 0"], raw.Query($"SELECT z FROM {b}.v"));
        // A query reading both schemas first makes both the domain.
        Assert.Equal(["BEGIN", "SELECT 0", "SELECT 0", "SELECT 0", "COMMIT"],
            raw.Query($"BEGIN; SELECT x, z FROM {a}.t, {b}.v; SELECT y FROM {a}.u; SELECT z FROM {b}.v; COMMIT"));
    }
}


namespace MzDeploy.Emulator.Statements;

/// <summary>
/// Materialize's transaction shapes, which PostgreSQL would not enforce: the first statement of an
/// explicit transaction fixes its kind (read-only, insert-only, SWAP/RENAME DDL, or one single
/// statement); DDL never runs inside a multi-statement implicit transaction. One instance per session,
/// advanced as statements are sent (a statement that then fails aborts the whole transaction anyway).
/// </summary>
internal sealed class TransactionRules
{
    private enum Mode { None, Read, Insert, Ddl, Single, Subscribe }

    private bool _explicit;
    private bool _readOnly;
    private Mode _mode;

    public bool InExplicitTransaction => _explicit;

    /// <summary>An explicit transaction that has only read (SELECT, SUBSCRIBE cursors): it may be restarted under its client.</summary>
    public bool InReadTransaction => _explicit && _mode is (Mode.Read or Mode.Subscribe);

    /// <summary>The statement that began the explicit transaction, as sent to PostgreSQL.</summary>
    public string? BeginSql { get; private set; }

    /// <summary>Forgets the transaction (the server reported it idle).</summary>
    public void Reset()
    {
        _explicit = false;
        _readOnly = false;
        _mode = Mode.None;
    }

    /// <summary>
    /// Checks <paramref name="statement"/> and advances the state; returns the refusal to send instead,
    /// or the statement itself. <paramref name="inImplicitBatch"/>: the statement is one of several in a
    /// simple query outside BEGIN.
    /// </summary>
    public Translation Apply(Translation statement, bool inImplicitBatch)
    {
        switch (statement.Class)
        {
            case StatementClass.Begin:
                _explicit = true;
                BeginSql = statement.Sql;
                _readOnly = statement.OpensReadOnly;
                _mode = Mode.None;
                return statement;
            case StatementClass.End:
                Reset();
                return statement;
            case StatementClass.Session:
                // Materialize fixes a transaction's cluster with its first statement.
                if (statement.ReportParameter is { Name: "cluster" } && _explicit && _mode != Mode.None)
                    return Translation.Refusal(statement.Label, "25001", "SET cluster cannot be called in an active transaction");
                return statement;
        }

        if (!_explicit)
        {
            if (inImplicitBatch && statement.Class is StatementClass.SwapOrRename or StatementClass.Single)
                return Prohibited(statement);
            return statement;
        }

        var wanted = statement.Class switch
        {
            StatementClass.Read when statement.IsSubscribe => Mode.Subscribe,
            StatementClass.Read => Mode.Read,
            StatementClass.Insert => Mode.Insert,
            StatementClass.SwapOrRename => Mode.Ddl,
            _ => Mode.Single,
        };
        // BEGIN READ ONLY: a write or DDL is refused with Materialize's words, not PostgreSQL's.
        if (_readOnly && wanted is not (Mode.Read or Mode.Subscribe))
            return Translation.Refusal(statement.Label, "25006", "transaction in read-only mode");
        // A SUBSCRIBE shares its transaction only with FETCH/CLOSE of cursors (and other SUBSCRIBE cursors); no other read.
        if (_mode == Mode.Subscribe && (statement.Label is "FETCH" or "CLOSE" or "MOVE" || wanted == Mode.Subscribe))
            return statement;
        if ((_mode == Mode.Subscribe && wanted == Mode.Read) || (_mode == Mode.Read && wanted == Mode.Subscribe))
            return Translation.Refusal(statement.Label, "25000", "SUBSCRIBE in transactions must be the only read statement");
        if (_mode == Mode.None)
        {
            _mode = wanted;
            return statement;
        }
        if (_mode == wanted && wanted is not (Mode.Single or Mode.Subscribe))
            return statement;

        return (_mode, wanted) switch
        {
            // A write transaction takes only writes (and constant reads): DDL after INSERT is refused as such.
            (Mode.Insert, Mode.Single or Mode.Ddl) when IsDdl(statement) => Translation.Refusal(statement.Label, "25000", "transaction in write-only mode"),
            (_, Mode.Single) => Prohibited(statement),
            (Mode.Read, Mode.Insert) => Translation.Refusal(statement.Label, "25006", "transaction in read-only mode"),
            (Mode.Insert, Mode.Read) => Translation.Refusal(statement.Label, "25000", "transaction in write-only mode"),
            (Mode.Ddl or Mode.Single, _) or (_, Mode.Ddl) => Translation.Refusal(statement.Label, "25000",
                "transactions which modify objects are restricted to just modifying objects"),
            _ => Prohibited(statement),
        };
    }

    private static bool IsDdl(Translation statement) =>
        statement.Label.StartsWith("CREATE ", StringComparison.Ordinal) || statement.Label.StartsWith("DROP ", StringComparison.Ordinal)
        || statement.Label.StartsWith("ALTER ", StringComparison.Ordinal);

    private static Translation Prohibited(Translation statement) =>
        Translation.Refusal(statement.Label, "25001", $"{statement.Label} cannot be run inside a transaction block");
}

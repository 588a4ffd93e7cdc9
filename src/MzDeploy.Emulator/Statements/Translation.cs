using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>What a statement is, for Materialize's transaction rules.</summary>
internal enum StatementClass
{
    /// <summary>SET/RESET/SHOW of session variables, DISCARD, DEALLOCATE, …: allowed anywhere.</summary>
    Session,
    Begin,
    /// <summary>COMMIT / ROLLBACK / END / ABORT.</summary>
    End,
    /// <summary>SELECT, SHOW, EXPLAIN, FETCH, DECLARE, …</summary>
    Read,
    /// <summary>INSERT (a write-only transaction may hold several).</summary>
    Insert,
    /// <summary>ALTER … SWAP WITH / ALTER … RENAME TO: the only DDL a multi-statement transaction may hold.</summary>
    SwapOrRename,
    /// <summary>Other DDL, UPDATE, DELETE, COPY, GRANT, COMMENT, …: only alone in its transaction.</summary>
    Single,
}

/// <summary>
/// The emulator's decision for one client statement: the PostgreSQL statement to run in its place
/// (always exactly one, so responses map one-to-one), and how to present its result.
/// </summary>
/// <param name="Sql">The statement sent to PostgreSQL.</param>
/// <param name="Class">Its class under Materialize's transaction rules.</param>
/// <param name="Label">Materialize's name for the statement (<c>CREATE CLUSTER</c>), used in messages.</param>
/// <param name="Tag">The command tag to report instead of PostgreSQL's, or null to keep PostgreSQL's.</param>
/// <param name="ReportParameter">A ParameterStatus (name, value) to send once the statement succeeded;
/// a null value means the session's value from connection time (after RESET).</param>
internal sealed record Translation(
    string Sql,
    StatementClass Class,
    string Label,
    string? Tag = null,
    (string Name, string? Value)? ReportParameter = null)
{
    /// <summary>
    /// How offsets in <see cref="Sql"/> map back to the client's statement, when the translation edited it in place: an
    /// error's position then points into the client's text. Null: positions are left as PostgreSQL reports them.
    /// </summary>
    public PositionMap? Positions { get; init; }

    /// <summary>Where the client's statement starts in the text the client sent (leading blanks and comments).</summary>
    public int ClientOffset { get; init; }

    /// <summary>RESET ALL / DISCARD ALL: every variable returns to its connection-time value.</summary>
    public bool ResetsSession { get; init; }

    /// <summary>The client's statement mentions the statement log or the faults: the log must be written before it runs.</summary>
    public bool ReadsLog { get; init; }

    /// <summary>The client's statement mentions the faults: reload them once its transaction is over.</summary>
    public bool ChangesFaults { get; init; }

    /// <summary>BEGIN READ ONLY / START TRANSACTION READ ONLY: the transaction may not write.</summary>
    public bool OpensReadOnly { get; init; }

    /// <summary>DECLARE … CURSOR FOR SUBSCRIBE: a transaction holding one may only FETCH from it besides.</summary>
    public bool IsSubscribe { get; init; }

    /// <summary>A statement refused by the emulator: PostgreSQL raises the error in its place, in order.</summary>
    public static Translation Refusal(string label, string sqlState, string message) =>
        new(SqlText.RaiseStatement(sqlState, message), StatementClass.Session, label);
}

namespace MzDeploy.Engine.Planning;

/// <summary>What a planned statement does.</summary>
public enum PlannedStatementKind
{
    CreateDatabase,
    CreateSchema,

    /// <summary>A statement of a schema or database modifier file (grant, comment, default privileges).</summary>
    SchemaModifier,
    CreateCluster,
    GrantOnCluster,
    CreateObject,

    /// <summary><c>CREATE REPLACEMENT MATERIALIZED VIEW … FOR …</c>.</summary>
    CreateReplacement,
    CreateIndex,
    Comment,
    Grant,
    CreateSink,

    /// <summary>An <c>ALTER … RENAME TO</c> inside the swap transaction.</summary>
    Rename,
    SwapSchema,
    SwapCluster,

    /// <summary>A marker schema in <c>_mz_deploy</c> (promotion epochs, promote progress).</summary>
    CreateMarker,

    /// <summary>Drops a marker schema in <c>_mz_deploy</c>.</summary>
    DropMarker,
    ApplyReplacement,
    RepointSink,
    DropSchema,
    DropCluster,
}

/// <summary>When the executor skips a statement, so that re-running a plan after a crash is safe.</summary>
public enum StatementGuard
{
    None,

    /// <summary>Skip when the object named by <see cref="PlannedStatement.Target"/> already exists (deferred sinks).</summary>
    SkipIfTargetExists,

    /// <summary>Skip when the object named by <see cref="PlannedStatement.GuardObject"/> no longer exists (a replacement already applied).</summary>
    SkipIfGuardObjectMissing,
}

/// <summary>
/// One SQL statement of a plan: what it does, what it acts on (display form, production or staging name), and the
/// exact text sent to Materialize, one statement per round trip unless it belongs to the swap transaction.
/// </summary>
/// <param name="Kind">What the statement does.</param>
/// <param name="Target">The object it creates or changes, dotted (<c>db.schema_id.view</c>, <c>cluster_id</c>).</param>
/// <param name="Sql">The statement, without a trailing semicolon.</param>
public sealed record PlannedStatement(PlannedStatementKind Kind, string Target, string Sql)
{
    public StatementGuard Guard { get; init; }

    /// <summary>For <see cref="StatementGuard.SkipIfGuardObjectMissing"/>: the object whose absence skips the statement.</summary>
    public ObjectId? GuardObject { get; init; }

    /// <summary>For a deferred statement: its <c>pending_statements.sequence_num</c>, to mark it executed.</summary>
    public int? PendingSequenceNumber { get; init; }

    public override string ToString() => Sql;
}

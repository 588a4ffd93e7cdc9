namespace MzDeploy.Engine.Model;

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

    /// <summary>Drops one durable object (a cluster, role, network policy, secret, connection, source or table) without CASCADE.</summary>
    DropObject,

    /// <summary>Writes or deletes a deployment's rows in one tracking table.</summary>
    TrackingRows,

    /// <summary><c>BEGIN</c> or <c>COMMIT</c> around the swap transaction.</summary>
    Transaction,

    /// <summary><c>CREATE ROLE</c> (setup).</summary>
    CreateRole,

    /// <summary>A table, view, index or row of the tracking infrastructure (setup).</summary>
    CreateTrackingItem,

    /// <summary><c>DROP DATABASE IF EXISTS … CASCADE</c> of a dev overlay database.</summary>
    DropDatabase,
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

    /// <summary>Bind parameters (<c>$1</c>, …) of a tracking-row statement; none for DDL.</summary>
    public IReadOnlyList<object?> Parameters { get; init; } = [];

    /// <summary>
    /// MzDeploy's own bookkeeping (tracking rows, marker schemas, the swap's BEGIN/COMMIT, setup's tracking items), as
    /// opposed to a statement about the user's objects: a failure names its step, never its SQL.
    /// </summary>
    public bool IsBookkeeping => Kind is PlannedStatementKind.TrackingRows or PlannedStatementKind.CreateMarker
        or PlannedStatementKind.DropMarker or PlannedStatementKind.Transaction or PlannedStatementKind.CreateTrackingItem;

    /// <summary>What a preview (dry run) shows: the statement, and its parameters as a trailing comment.</summary>
    public string Display => Parameters.Count == 0 ? Sql : Sql + DescribeParameters([.. Parameters]);

    public override string ToString() => Sql;

    /// <summary>
    /// The bind parameters of a statement as a trailing SQL comment (<c> /* $1 = 'abc' */</c>), so what a preview
    /// shows says which rows a statement touches. Long values are cut; statements with many parameters
    /// (multi-row INSERTs) only say how many. Parameters never carry secrets: values of tracking rows only.
    /// </summary>
    public static string DescribeParameters(object?[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        const int MaxListed = 4;
        const int MaxLength = 60;
        if (parameters.Length > MaxListed)
        {
            return $" /* {parameters.Length} parameters */";
        }

        var values = parameters.Select((value, i) => $"${i + 1} = " + (value is DeployId id ? id.Value : value) switch
        {
            null => "NULL",
            string text => "'" + (text.Length > MaxLength ? text[..MaxLength] + "…" : text).Replace("'", "''", StringComparison.Ordinal)
                                .Replace("*/", "* /", StringComparison.Ordinal) + "'",
            DateTimeOffset at => "'" + at.ToString("o", System.Globalization.CultureInfo.InvariantCulture) + "'",
            IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            var other => other.ToString(),
        });
        return " /* " + string.Join(", ", values) + " */";
    }
}

namespace MzDeploy.Engine.Sql;

/// <summary><c>CREATE SCHEMA [IF NOT EXISTS] [db.]name</c> or <c>CREATE DATABASE [IF NOT EXISTS] name</c>.</summary>
internal sealed class CreateNamespaceStatement : SqlStatement
{
    internal CreateNamespaceStatement(bool database)
        : base(database ? StatementKind.CreateDatabase : StatementKind.CreateSchema)
    {
    }

    public bool IfNotExists { get; internal init; }
}

/// <summary><c>INSERT INTO name [(cols)] query | DEFAULT VALUES</c>; the table is <see cref="SqlStatement.Target"/>.</summary>
internal sealed class InsertStatement : SqlStatement
{
    internal InsertStatement()
        : base(StatementKind.Insert)
    {
    }

    public IReadOnlyList<Identifier> Columns { get; internal init; } = Array.Empty<Identifier>();

    /// <summary>The inserted rows (VALUES or a query); null for <c>DEFAULT VALUES</c>.</summary>
    public SqlQuery? Query { get; internal init; }
}

/// <summary>
/// <c>UPDATE name SET … [FROM …] [WHERE …]</c> or <c>DELETE FROM name [USING …] [WHERE …]</c>; the table is
/// <see cref="SqlStatement.Target"/>.
/// </summary>
internal sealed class UpdateStatement : SqlStatement
{
    internal UpdateStatement(bool delete)
        : base(delete ? StatementKind.Delete : StatementKind.Update)
    {
    }
}

/// <summary><c>DROP type [IF EXISTS] name [, …] [CASCADE | RESTRICT]</c>; the first name is <see cref="SqlStatement.Name"/>.</summary>
internal sealed class DropStatement : SqlStatement
{
    internal DropStatement()
        : base(StatementKind.Drop)
    {
    }

    /// <summary>The object type, upper case: <c>VIEW</c>, <c>MATERIALIZED VIEW</c>, <c>SCHEMA</c>, <c>CLUSTER</c>, ….</summary>
    public string ObjectType { get; internal init; } = string.Empty;

    public bool IfExists { get; internal init; }

    /// <summary>True for CASCADE, false for RESTRICT, null when neither is written.</summary>
    public bool? Cascade { get; internal init; }

    public IReadOnlyList<ObjectName> Names { get; internal init; } = Array.Empty<ObjectName>();
}

/// <summary>
/// <c>ALTER type [IF EXISTS] name action</c>. Swaps and renames expose <see cref="NewName"/>;
/// <c>ALTER SINK … SET FROM obj</c> exposes <see cref="SqlStatement.From"/>.
/// </summary>
internal sealed class AlterStatement : SqlStatement
{
    internal AlterStatement()
        : base(StatementKind.Alter)
    {
    }

    /// <summary>The object type, upper case: <c>SCHEMA</c>, <c>CLUSTER</c>, <c>SINK</c>, <c>MATERIALIZED VIEW</c>, ….</summary>
    public string ObjectType { get; internal init; } = string.Empty;

    public bool IfExists { get; internal init; }

    /// <summary>
    /// The action's leading words, upper case: <c>SWAP WITH</c>, <c>RENAME TO</c>, <c>SET FROM</c>, <c>OWNER TO</c>,
    /// <c>SET CLUSTER</c>, <c>APPLY REPLACEMENT</c>, or the first word of any other action (<c>SET</c>, <c>RESET</c>, …).
    /// </summary>
    public string Action { get; internal init; } = string.Empty;

    /// <summary>The second name of <c>SWAP WITH</c> and the new name of <c>RENAME TO</c> (a bare identifier).</summary>
    public Identifier? NewName { get; internal init; }

    /// <summary>Everything after the object name, as written.</summary>
    public SqlFragment Rest { get; internal init; } = null!;
}

/// <summary><c>SUBSCRIBE [TO] name | (query) [options]</c>.</summary>
internal sealed class SubscribeStatement : SqlStatement
{
    internal SubscribeStatement()
        : base(StatementKind.Subscribe)
    {
    }

    /// <summary>The subscribed query, when the statement subscribes to one rather than to <see cref="SqlStatement.Target"/>.</summary>
    public SqlQuery? Query { get; internal init; }
}

/// <summary><c>DECLARE name CURSOR [WITHOUT HOLD] FOR statement</c>.</summary>
internal sealed class DeclareStatement : SqlStatement
{
    internal DeclareStatement()
        : base(StatementKind.Declare)
    {
    }

    public Identifier CursorName { get; internal init; } = null!;

    /// <summary>The statement the cursor runs (usually SELECT or SUBSCRIBE); its references are also this statement's.</summary>
    public SqlStatement Inner { get; internal init; } = null!;
}

/// <summary><c>SHOW …</c>; for <c>SHOW COLUMNS FROM x</c> and <c>SHOW CREATE type x</c>, x is <see cref="SqlStatement.Target"/>.</summary>
internal sealed class ShowStatement : SqlStatement
{
    internal ShowStatement()
        : base(StatementKind.Show)
    {
    }

    /// <summary>What is shown, upper case: <c>COLUMNS</c>, <c>CREATE VIEW</c>, <c>CLUSTER</c>, ….</summary>
    public string What { get; internal init; } = string.Empty;
}

namespace MzDeploy.Engine.Sql;

/// <summary><c>CREATE [OR REPLACE] [MATERIALIZED] VIEW [IF NOT EXISTS] name [(cols)] [IN CLUSTER c] [WITH (…)] AS query</c>.</summary>
public sealed class CreateViewStatement : SqlStatement
{
    internal CreateViewStatement(bool materialized)
        : base(materialized ? StatementKind.CreateMaterializedView : StatementKind.CreateView) => Materialized = materialized;

    public bool Materialized { get; }

    public bool OrReplace { get; internal init; }

    public bool IfNotExists { get; internal init; }

    public bool Temporary { get; internal init; }

    /// <summary><c>CREATE REPLACEMENT MATERIALIZED VIEW name FOR target …</c>; the target is <see cref="SqlStatement.Target"/>.</summary>
    public bool Replacement { get; internal init; }

    public IReadOnlyList<Identifier> Columns { get; internal init; } = Array.Empty<Identifier>();

    public IReadOnlyList<SqlOption> Options { get; internal init; } = Array.Empty<SqlOption>();

    public SqlQuery Query { get; internal init; } = null!;
}

/// <summary><c>CREATE [DEFAULT] INDEX [IF NOT EXISTS] [name] [IN CLUSTER c] ON obj [USING m] [(keys)] [WITH (…)]</c>.</summary>
public sealed class CreateIndexStatement : SqlStatement
{
    internal CreateIndexStatement()
        : base(StatementKind.CreateIndex)
    {
    }

    public bool IsDefault { get; internal init; }

    public bool IfNotExists { get; internal init; }

    public Identifier? Using { get; internal init; }

    /// <summary>The key expressions, as written (empty for a default index).</summary>
    public IReadOnlyList<SqlFragment> KeyParts { get; internal init; } = Array.Empty<SqlFragment>();

    public IReadOnlyList<SqlOption> Options { get; internal init; } = Array.Empty<SqlOption>();
}

/// <summary>
/// <c>CREATE TABLE name (columns) [WITH (…)]</c> or <c>CREATE TABLE name FROM SOURCE src (REFERENCE upstream) …</c>
/// (kind <see cref="StatementKind.CreateTableFromSource"/>; the source is <see cref="SqlStatement.From"/>).
/// </summary>
public sealed class CreateTableStatement : SqlStatement
{
    internal CreateTableStatement(bool fromSource)
        : base(fromSource ? StatementKind.CreateTableFromSource : StatementKind.CreateTable)
    {
    }

    public bool IfNotExists { get; internal init; }

    public bool Temporary { get; internal init; }

    public IReadOnlyList<ColumnDefinition> Columns { get; internal init; } = Array.Empty<ColumnDefinition>();

    /// <summary>The upstream table named by <c>(REFERENCE …)</c>: a name in the external system, not a Materialize object.</summary>
    public ObjectName? UpstreamReference { get; internal init; }

    public IReadOnlyList<SqlOption> Options { get; internal init; } = Array.Empty<SqlOption>();
}

/// <summary><c>CREATE SOURCE [IF NOT EXISTS] name [IN CLUSTER c] FROM kind [CONNECTION conn] …</c>.</summary>
public sealed class CreateSourceStatement : SqlStatement
{
    internal CreateSourceStatement()
        : base(StatementKind.CreateSource)
    {
    }

    public bool IfNotExists { get; internal init; }

    /// <summary>The connector, upper case: <c>KAFKA</c>, <c>POSTGRES</c>, <c>MYSQL</c>, <c>SQL SERVER</c>, <c>LOAD GENERATOR</c>, <c>WEBHOOK</c>.</summary>
    public string ConnectorKind { get; internal init; } = string.Empty;

    /// <summary>The first connection named after the connector (<c>FROM KAFKA CONNECTION c</c>).</summary>
    public ObjectName? Connection { get; internal init; }
}

/// <summary><c>CREATE SINK [IF NOT EXISTS] name [IN CLUSTER c] FROM obj INTO kind CONNECTION conn …</c>.</summary>
public sealed class CreateSinkStatement : SqlStatement
{
    internal CreateSinkStatement()
        : base(StatementKind.CreateSink)
    {
    }

    public bool IfNotExists { get; internal init; }

    /// <summary>The connector, upper case: <c>KAFKA</c>, <c>ICEBERG</c>, ….</summary>
    public string ConnectorKind { get; internal init; } = string.Empty;

    public ObjectName? Connection { get; internal init; }
}

/// <summary><c>CREATE CONNECTION [IF NOT EXISTS] name TO kind (options) [WITH (…)]</c>.</summary>
public sealed class CreateConnectionStatement : SqlStatement
{
    internal CreateConnectionStatement()
        : base(StatementKind.CreateConnection)
    {
    }

    public bool IfNotExists { get; internal init; }

    /// <summary>The connection type, upper case: <c>KAFKA</c>, <c>POSTGRES</c>, <c>SSH TUNNEL</c>, <c>CONFLUENT SCHEMA REGISTRY</c>, ….</summary>
    public string ConnectorKind { get; internal init; } = string.Empty;

    public IReadOnlyList<SqlOption> Options { get; internal init; } = Array.Empty<SqlOption>();
}

/// <summary><c>CREATE SECRET [IF NOT EXISTS] name AS value</c>.</summary>
public sealed class CreateSecretStatement : SqlStatement
{
    internal CreateSecretStatement()
        : base(StatementKind.CreateSecret)
    {
    }

    public bool IfNotExists { get; internal init; }

    /// <summary>The value expression (a literal, or a provider call such as <c>env_var('X')</c>).</summary>
    public SqlFragment Value { get; internal init; } = null!;
}

/// <summary><c>CREATE CLUSTER name (options)</c> or the older <c>CREATE CLUSTER name SIZE 'x', …</c>.</summary>
internal sealed class CreateClusterStatement : SqlStatement
{
    internal CreateClusterStatement()
        : base(StatementKind.CreateCluster)
    {
    }

    public IReadOnlyList<SqlOption> Options { get; internal init; } = Array.Empty<SqlOption>();
}

/// <summary><c>CREATE NETWORK POLICY name (RULES (…))</c>.</summary>
internal sealed class CreateNetworkPolicyStatement : SqlStatement
{
    internal CreateNetworkPolicyStatement()
        : base(StatementKind.CreateNetworkPolicy)
    {
    }

    public IReadOnlyList<SqlOption> Options { get; internal init; } = Array.Empty<SqlOption>();
}

/// <summary>The three kinds of mz-deploy constraint.</summary>
public enum ConstraintKind
{
    PrimaryKey,
    Unique,
    ForeignKey,
}

/// <summary>
/// <c>CREATE { PRIMARY KEY | UNIQUE CONSTRAINT | FOREIGN KEY } [NOT ENFORCED] [name] [IN CLUSTER c] ON obj (cols) [REFERENCES obj (cols)]</c>.
/// </summary>
internal sealed class CreateConstraintStatement : SqlStatement
{
    internal CreateConstraintStatement()
        : base(StatementKind.CreateConstraint)
    {
    }

    public ConstraintKind ConstraintKind { get; internal init; }

    /// <summary>False when the statement says <c>NOT ENFORCED</c>.</summary>
    public bool Enforced { get; internal init; } = true;

    public IReadOnlyList<Identifier> Columns { get; internal init; } = Array.Empty<Identifier>();

    /// <summary>The <c>REFERENCES</c> object of a foreign key.</summary>
    public ObjectName? ReferencedObject { get; internal init; }

    public IReadOnlyList<Identifier> ReferencedColumns { get; internal init; } = Array.Empty<Identifier>();
}

/// <summary>A query statement (<c>SELECT …</c>, <c>WITH …</c>, <c>VALUES …</c>, <c>TABLE t</c>).</summary>
public sealed class QueryStatement : SqlStatement
{
    internal QueryStatement()
        : base(StatementKind.Query)
    {
    }

    public SqlQuery Query { get; internal init; } = null!;
}

/// <summary>A statement the parser does not model; only its span, tokens and leading words are known.</summary>
internal sealed class OtherStatement : SqlStatement
{
    internal OtherStatement()
        : base(StatementKind.Other)
    {
    }
}

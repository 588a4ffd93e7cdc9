namespace MzDeploy.Engine.Sql;

/// <summary>
/// One parsed statement. The common surface (<see cref="Name"/>, <see cref="Target"/>, <see cref="InCluster"/>,
/// <see cref="From"/>, <see cref="References"/>) lets callers treat statements uniformly; subclasses add what
/// is specific to their kind.
/// </summary>
public abstract class SqlStatement
{
    private protected SqlStatement(StatementKind kind) => Kind = kind;

    public StatementKind Kind { get; }

    /// <summary>From the first token to the end of the last token before the terminating <c>;</c>.</summary>
    public TextSpan Span { get; internal set; }

    private string? _text;

    /// <summary>The source text of <see cref="Span"/> (comments inside the statement included).</summary>
    public string Text
    {
        get => _text ??= Source is null ? string.Empty : Span.Slice(Source);
        internal set => _text = value;
    }

    /// <summary>The text the statement was parsed from; <see cref="Text"/> is sliced from it when first read.</summary>
    internal string? Source { get; set; }

    /// <summary>The statement's tokens (no comments, no <c>;</c>), for canonical rendering.</summary>
    public IReadOnlyList<Token> Tokens { get; internal set; } = Array.Empty<Token>();

    /// <summary>The object the statement creates or alters (view, index, role, …), when it names one.</summary>
    public ObjectName? Name { get; internal init; }

    /// <summary>
    /// The object the statement is about: the <c>ON</c> of an index, comment, grant or constraint, the
    /// <c>FOR</c> of a unit test or replacement materialized view.
    /// </summary>
    public ObjectName? Target { get; internal init; }

    /// <summary>The <c>IN CLUSTER</c> cluster, when given.</summary>
    public Identifier? InCluster { get; internal init; }

    /// <summary>The <c>FROM</c> object of a sink, or the source of <c>CREATE TABLE … FROM SOURCE</c>.</summary>
    public ObjectName? From { get; internal init; }

    /// <summary>
    /// Every object the statement refers to, in source order, each with its exact span: relations read by
    /// queries (CTE names excluded), <c>ON</c>/<c>FOR</c>/<c>FROM</c> targets, connections, secrets, the
    /// <c>IN CLUSTER</c> cluster, roles and schemas of grants. The statement's own <see cref="Name"/> is not a reference.
    /// </summary>
    public IReadOnlyList<Reference> References { get; internal set; } = Array.Empty<Reference>();

    /// <summary>The references of kind <see cref="ReferenceKind.Relation"/>.</summary>
    public IEnumerable<Reference> RelationReferences => References.Where(r => r.Kind == ReferenceKind.Relation);

    public override string ToString() => $"{Kind} {Name?.ToSql() ?? Target?.ToSql()}".TrimEnd();
}

/// <summary>A run of tokens from the source, such as an option value or an index key expression.</summary>
public sealed record SqlFragment(string Text, TextSpan Span, IReadOnlyList<Token> Tokens)
{
    /// <summary>
    /// The fragment as a simple value: a lone string literal's unescaped value, a lone word's (lower-case)
    /// value, a lone number; otherwise null.
    /// </summary>
    public string? SimpleValue => Tokens.Count == 1 && Tokens[0].Kind is TokenKind.String or TokenKind.Identifier
        or TokenKind.QuotedIdentifier or TokenKind.Number
        ? Tokens[0].Value
        : null;

    public override string ToString() => Text;
}

/// <summary>One item of an option list such as <c>(SIZE = 'xsmall', REPLICATION FACTOR 2)</c>.</summary>
/// <param name="Name">The option's words, upper case, single-spaced (<c>REPLICATION FACTOR</c>).</param>
/// <param name="Value">The value after the name (and the optional <c>=</c>), if any.</param>
/// <param name="Span">The whole item.</param>
public sealed record SqlOption(string Name, SqlFragment? Value, TextSpan Span)
{
    public override string ToString() => Value is null ? Name : $"{Name} = {Value.Text}";
}

/// <summary>A column with a type: a table column, or a column of a unit test's MOCK or EXPECTED.</summary>
/// <param name="Name">The column name.</param>
/// <param name="DataType">The type in canonical form: lower case, single-spaced (<c>numeric(10, 2)</c>, <c>double precision</c>, <c>text[]</c>).</param>
/// <param name="Span">The whole column definition, constraints included.</param>
public sealed record ColumnDefinition(Identifier Name, string DataType, TextSpan Span)
{
    /// <summary>Whether the definition says <c>NOT NULL</c>.</summary>
    public bool NotNull { get; init; }

    public override string ToString() => $"{Name} {DataType}";
}

/// <summary>A query (the body of a view, a mock, a subquery statement) and the relations it reads.</summary>
/// <param name="Span">From the first token of the query to its last.</param>
/// <param name="References">Relation references of the query, CTE names excluded, in source order.</param>
public sealed record SqlQuery(TextSpan Span, IReadOnlyList<Reference> References);

namespace MzDeploy.Engine.Sql;

/// <summary>
/// <c>EXECUTE UNIT TEST name FOR db.schema.view [AT TIME 'ts'] MOCK obj(col type, …) AS (query), …
/// EXPECTED(col type, …) AS (query)</c>. The tested view is <see cref="SqlStatement.Target"/>.
/// </summary>
internal sealed class UnitTestStatement : SqlStatement
{
    internal UnitTestStatement()
        : base(StatementKind.ExecuteUnitTest)
    {
    }

    public Identifier TestName { get; internal init; } = null!;

    /// <summary>The <c>AT TIME</c> value (the literal's text unescaped), if given.</summary>
    public string? AtTime { get; internal init; }

    public IReadOnlyList<UnitTestMock> Mocks { get; internal init; } = Array.Empty<UnitTestMock>();

    public UnitTestExpected Expected { get; internal init; } = null!;
}

/// <summary>One <c>MOCK name(col type, …) AS (query)</c>.</summary>
internal sealed record UnitTestMock(ObjectName Name, IReadOnlyList<ColumnDefinition> Columns, SqlQuery Query, TextSpan Span);

/// <summary>The <c>EXPECTED(col type, …) AS (query)</c> clause.</summary>
internal sealed record UnitTestExpected(IReadOnlyList<ColumnDefinition> Columns, SqlQuery Query, TextSpan Span);

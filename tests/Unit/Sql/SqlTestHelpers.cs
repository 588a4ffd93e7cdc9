using MzDeploy.Engine.Sql;

namespace MzDeploy.Tests.Unit.Sql;

internal static class SqlTestHelpers
{
    /// <summary>Parses <paramref name="sql"/>, which must hold exactly one statement and no error.</summary>
    public static SqlStatement One(string sql)
    {
        var script = SqlParser.Parse(sql);
        Assert.True(script.Errors.Count == 0, string.Join("; ", script.Errors.Select(e => $"{e.Message} at {e.Span}")));
        return Assert.Single(script.Statements);
    }

    public static T One<T>(string sql)
        where T : SqlStatement => Assert.IsType<T>(One(sql));

    /// <summary>The source text of each reference of the given kind, in order.</summary>
    public static string[] ReferenceTexts(string sql, SqlStatement statement, ReferenceKind kind = ReferenceKind.Relation) =>
        statement.References.Where(r => r.Kind == kind).Select(r => r.Span.Slice(sql)).ToArray();

    /// <summary>Every reference as "Kind:text", in order.</summary>
    public static string AllReferences(string sql, SqlStatement statement) =>
        string.Join(" ", statement.References.Select(r => $"{r.Kind}:{r.Span.Slice(sql)}"));

    public static string Canonical(string sql) => CanonicalPrinter.Render(One(sql));
}

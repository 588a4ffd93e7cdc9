using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// Maps Materialize object names onto the PostgreSQL schemas that hold them: <c>db.schema.item</c> →
/// <c>"db.schema".item</c>, <c>schema.item</c> → <c>"&lt;current db&gt;.schema".item</c>, system schemas
/// unchanged, unqualified names left to the search path. Works on the engine parser's references and
/// edits by span (SqlRewriter), so only names in relation (and other object) positions change.
/// </summary>
internal sealed class NameMapper(string currentDatabase)
{
    /// <summary>Schemas that belong to no database and keep their names.</summary>
    public static readonly HashSet<string> SystemSchemas =
        ["mz_catalog", "mz_internal", "mz_introspection", "mz_unsafe", "pg_catalog", "information_schema", "mz_emulator", "pg_temp", "mz_temp"];

    private static readonly HashSet<ReferenceKind> MappedKinds =
    [
        ReferenceKind.Relation, ReferenceKind.Source, ReferenceKind.Sink, ReferenceKind.Index,
        ReferenceKind.Connection, ReferenceKind.Secret, ReferenceKind.Type, ReferenceKind.Function,
    ];

    public string CurrentDatabase { get; } = currentDatabase;

    /// <summary>The PostgreSQL spelling of an item name (<paramref name="text"/> is the text the name's span covers in).</summary>
    public string? MapItem(ObjectName name, string text, int offset = 0)
    {
        var (database, schema) = name.Parts.Count switch
        {
            3 => (name.Parts[0].Value, name.Parts[1].Value),
            2 when !SystemSchemas.Contains(name.Parts[0].Value) => (CurrentDatabase, name.Parts[0].Value),
            _ => ((string?)null, (string?)null),
        };
        if (database == null)
            return null;
        var item = name.Item.Span;
        return SqlText.Identifier(SqlText.PgSchema(database, schema!)) + "." + text.Substring(item.Start - offset, item.Length);
    }

    /// <summary>The PostgreSQL schema for a Materialize schema name (<c>s</c> or <c>db.s</c>); system schemas unchanged.</summary>
    public (string Database, string Schema)? SchemaOf(ObjectName name) => name.Parts.Count switch
    {
        1 when SystemSchemas.Contains(name.Parts[0].Value) => null,
        1 => (CurrentDatabase, name.Parts[0].Value),
        2 => (name.Parts[0].Value, name.Parts[1].Value),
        _ => null,
    };

    /// <summary>
    /// The PostgreSQL schema an item name (its parts) lives in: the mapped schema, a system schema as is,
    /// or null for an unqualified name (the search path decides).
    /// </summary>
    public string? PgSchemaOf(IReadOnlyList<string> parts) => parts.Count switch
    {
        3 => SqlText.PgSchema(parts[0], parts[1]),
        2 when SystemSchemas.Contains(parts[0]) => parts[0],
        2 => SqlText.PgSchema(CurrentDatabase, parts[0]),
        _ => null,
    };

    public string? PgSchemaOf(ObjectName name) => PgSchemaOf(name.Values);

    /// <summary>(database, schema, item) of an item name, resolving an unqualified name to the current database's public schema.</summary>
    public (string Database, string Schema, string Item) Resolve(ObjectName name) => name.Parts.Count switch
    {
        3 => (name.Parts[0].Value, name.Parts[1].Value, name.Parts[2].Value),
        2 => (CurrentDatabase, name.Parts[0].Value, name.Parts[1].Value),
        _ => (CurrentDatabase, "public", name.Parts[0].Value),
    };

    /// <summary>The edits that map every object reference of <paramref name="statement"/> (and its own name).</summary>
    public List<(TextSpan Span, string Replacement)> Edits(SqlStatement statement, string text, bool includeName = true)
    {
        var edits = new List<(TextSpan, string)>();
        if (includeName && statement.Name is { } own && statement.Kind is not (StatementKind.CreateIndex or StatementKind.CreateCluster
                or StatementKind.CreateRole or StatementKind.AlterRole or StatementKind.CreateNetworkPolicy))
            Add(edits, own, text);
        foreach (var reference in statement.References)
        {
            if (MappedKinds.Contains(reference.Kind))
                Add(edits, reference.Name, text);
            else if (reference.Kind == ReferenceKind.Schema && SchemaOf(reference.Name) is { } s)
                edits.Add((reference.Span, SqlText.Identifier(SqlText.PgSchema(s.Database, s.Schema))));
        }
        AddQualifiedColumns(edits, text);
        return edits;
    }

    /// <summary>
    /// Column references qualified by their relation's schema (<c>d.t.x</c>, <c>d.t.*</c>) or database and
    /// schema (<c>materialize.d.t.x</c>): the parser reports only relation names, so these are found as
    /// dotted chains of identifiers. Materialize reads a field of a record only as <c>(r).f</c>, so
    /// three names are schema.relation.column and four database.schema.relation.column; the relation
    /// part keeps its name and the schema part becomes the emulated schema, as in FROM.
    /// </summary>
    private void AddQualifiedColumns(List<(TextSpan Span, string Replacement)> edits, string text)
    {
        if (text.IndexOf('.') < 0)
            return;
        var tokens = LexedStatement.Of(text).Tokens;
        for (var k = 0; k < tokens.Count; k++)
        {
            if (!tokens[k].IsWord || (k > 0 && tokens[k - 1].IsSymbol(".")))
                continue;
            var parts = new List<Token> { tokens[k] };
            var j = k + 1;
            while (j + 1 < tokens.Count && tokens[j].IsSymbol(".") && tokens[j + 1].IsWord)
            {
                parts.Add(tokens[j + 1]);
                j += 2;
            }
            var star = j + 1 < tokens.Count && tokens[j].IsSymbol(".") && tokens[j + 1].IsSymbol("*");
            var call = j < tokens.Count && tokens[j].IsSymbol("(");
            k = j - 1;
            // The chain's parts before the relation: (database, schema) or (schema).
            var prefix = parts.Count - (star ? 1 : 2);
            if (call || prefix is < 1 or > 2)
                continue;
            var start = parts[0].Span.Start;
            var end = parts[prefix - 1].Span.End;
            if (edits.Any(e => e.Span.Start < parts[^1].Span.End && start < e.Span.Start + e.Span.Length))
                continue;
            string pgSchema;
            if (prefix == 2)
                pgSchema = SqlText.PgSchema(parts[0].Value, parts[1].Value);
            else if (SystemSchemas.Contains(parts[0].Value))
                continue;
            else
                pgSchema = SqlText.PgSchema(CurrentDatabase, parts[0].Value);
            edits.Add((new TextSpan(start, end - start), SqlText.Identifier(pgSchema)));
        }
    }

    private void Add(List<(TextSpan, string)> edits, ObjectName name, string text)
    {
        if (MapItem(name, text) is { } mapped)
            edits.Add((name.Span, mapped));
    }
}

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
        if (database == null) return null;
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
            if (MappedKinds.Contains(reference.Kind)) Add(edits, reference.Name, text);
            else if (reference.Kind == ReferenceKind.Schema && SchemaOf(reference.Name) is { } s)
                edits.Add((reference.Span, SqlText.Identifier(SqlText.PgSchema(s.Database, s.Schema))));
        }
        return edits;
    }

    private void Add(List<(TextSpan, string)> edits, ObjectName name, string text)
    {
        if (MapItem(name, text) is { } mapped) edits.Add((name.Span, mapped));
    }
}

namespace MzDeploy.Engine.Model;

/// <summary>A column of a production table (<c>mz_columns</c>); the type as the catalog prints it.</summary>
public sealed record InfrastructureColumn(string Name, string Type, bool Nullable)
{
    public override string ToString() => $"{Name} {Type}{(Nullable ? "" : " NOT NULL")}";
}

/// <summary>
/// A secret, connection, source or table as production holds it. A secret's value cannot be read back, so a
/// secret is known by its existence (and grants and comment) only.
/// </summary>
/// <param name="Id">The production name (profile suffix on the database).</param>
/// <param name="Kind">Secret, Connection, Source or Table.</param>
public sealed record InfrastructureObject(ObjectId Id, InfrastructureKind Kind)
{
    /// <summary>Connections and sources: the type (<c>kafka</c>, <c>postgres</c>, <c>load-generator</c>), lower case.</summary>
    public string? Type { get; init; }

    /// <summary>Connections: the <c>CREATE CONNECTION</c> statement the catalog prints (it holds secret names, never values).</summary>
    public string? CreateSql { get; init; }

    /// <summary>Tables fed by a source: that source's production name; null for plain tables.</summary>
    public ObjectId? Source { get; init; }

    /// <summary>Tables: the columns in position order.</summary>
    public IReadOnlyList<InfrastructureColumn> Columns { get; init; } = [];

    public IReadOnlyList<InfrastructureGrant> Grants { get; init; } = [];

    public string? Comment { get; init; }

    /// <summary>Tables: column comments by column name.</summary>
    public IReadOnlyDictionary<string, string> ColumnComments { get; init; } = new Dictionary<string, string>();
}

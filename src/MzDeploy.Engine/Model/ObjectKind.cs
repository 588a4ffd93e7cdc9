using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Model;

/// <summary>The kinds of object a project defines under <c>models/</c>.</summary>
public enum ObjectKind
{
    View,
    MaterializedView,
    Table,
    TableFromSource,
    Source,
    Sink,
    Connection,
    Secret,
}

internal static class ObjectKinds
{
    /// <summary>The object kind a primary statement creates, or null when the statement is not a primary one.</summary>
    public static ObjectKind? FromStatement(StatementKind kind) => kind switch
    {
        StatementKind.CreateView => ObjectKind.View,
        StatementKind.CreateMaterializedView => ObjectKind.MaterializedView,
        StatementKind.CreateTable => ObjectKind.Table,
        StatementKind.CreateTableFromSource => ObjectKind.TableFromSource,
        StatementKind.CreateSource => ObjectKind.Source,
        StatementKind.CreateSink => ObjectKind.Sink,
        StatementKind.CreateConnection => ObjectKind.Connection,
        StatementKind.CreateSecret => ObjectKind.Secret,
        _ => null,
    };

    /// <summary>
    /// Objects that hold or move data. A schema holding any of them may not also hold views or materialized
    /// views: schemas are swapped whole at promote, and a swap must never take a table with it.
    /// </summary>
    public static bool IsStorage(this ObjectKind kind) => kind is not (ObjectKind.View or ObjectKind.MaterializedView);

    /// <summary>Objects an index may not be created on directly (index a view over them instead).</summary>
    public static bool RejectsIndexes(this ObjectKind kind) =>
        kind is ObjectKind.Table or ObjectKind.TableFromSource or ObjectKind.Source;

    /// <summary>Lower-case words for messages: "materialized view", "table from source".</summary>
    public static string Describe(this ObjectKind kind) => kind switch
    {
        ObjectKind.MaterializedView => "materialized view",
        ObjectKind.TableFromSource => "table from source",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

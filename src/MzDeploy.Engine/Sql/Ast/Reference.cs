namespace MzDeploy.Engine.Sql;

/// <summary>What kind of object a reference names.</summary>
public enum ReferenceKind
{
    /// <summary>A table, view, materialized view or source read as a relation (FROM, JOIN, ON of an index, …).</summary>
    Relation,

    /// <summary>A source named as such (<c>CREATE TABLE … FROM SOURCE s</c>, <c>GRANT … ON SOURCE</c>).</summary>
    Source,

    /// <summary>A sink (<c>COMMENT ON SINK</c>).</summary>
    Sink,

    /// <summary>An index (<c>COMMENT ON INDEX</c>).</summary>
    Index,

    /// <summary>A connection (<c>CONNECTION c</c>, <c>SSH TUNNEL c</c>, <c>AWS PRIVATELINK c</c>).</summary>
    Connection,

    /// <summary>A secret (<c>SECRET s</c>).</summary>
    Secret,

    /// <summary>A cluster (<c>IN CLUSTER c</c>, grants and comments on clusters).</summary>
    Cluster,

    /// <summary>A cluster replica <c>cluster.replica</c>.</summary>
    ClusterReplica,

    Schema,
    Database,
    Role,
    NetworkPolicy,
    Type,
    Function,
}

/// <summary>An object a statement refers to, with the exact span of its name in the source.</summary>
public sealed record Reference(ObjectName Name, ReferenceKind Kind)
{
    /// <summary>The span of the name: replace exactly this text to rewrite the reference.</summary>
    public TextSpan Span => Name.Span;

    public override string ToString() => $"{Kind} {Name}";
}

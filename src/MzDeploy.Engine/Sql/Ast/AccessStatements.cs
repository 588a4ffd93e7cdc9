namespace MzDeploy.Engine.Sql;

/// <summary><c>CREATE ROLE name [WITH] [options]</c>.</summary>
public sealed class CreateRoleStatement : SqlStatement
{
    internal CreateRoleStatement()
        : base(StatementKind.CreateRole)
    {
    }

    /// <summary>The role options as written after the name (e.g. <c>INHERIT</c>, <c>LOGIN</c>), upper case.</summary>
    public IReadOnlyList<string> Options { get; internal init; } = Array.Empty<string>();
}

/// <summary><c>ALTER ROLE name …</c> (options, <c>SET var TO value</c>, <c>RESET var</c>, …).</summary>
public sealed class AlterRoleStatement : SqlStatement
{
    internal AlterRoleStatement()
        : base(StatementKind.AlterRole)
    {
    }

    /// <summary>Everything after the role name, as written.</summary>
    public SqlFragment? Action { get; internal init; }
}

/// <summary><c>COMMENT ON kind name IS 'text' | NULL</c>; the commented object is <see cref="SqlStatement.Target"/>.</summary>
public sealed class CommentStatement : SqlStatement
{
    internal CommentStatement()
        : base(StatementKind.Comment)
    {
    }

    /// <summary>The object type, upper case: <c>TABLE</c>, <c>MATERIALIZED VIEW</c>, <c>COLUMN</c>, <c>SCHEMA</c>, ….</summary>
    public string ObjectType { get; internal init; } = string.Empty;

    /// <summary>For <c>COMMENT ON COLUMN rel.col</c>: the column (the relation is <see cref="SqlStatement.Target"/>).</summary>
    public Identifier? Column { get; internal init; }

    /// <summary>The comment text, or null for <c>IS NULL</c>.</summary>
    public string? Comment { get; internal init; }
}

/// <summary>
/// <c>GRANT privileges ON [type] names TO roles</c> or <c>REVOKE privileges ON [type] names FROM roles</c>,
/// including <c>ON ALL TABLES IN SCHEMA s</c> and <c>ON SYSTEM</c>.
/// </summary>
public sealed class GrantStatement : SqlStatement
{
    internal GrantStatement(bool revoke)
        : base(revoke ? StatementKind.Revoke : StatementKind.Grant) => IsRevoke = revoke;

    public bool IsRevoke { get; }

    /// <summary>Privileges, upper case: <c>SELECT</c>, <c>USAGE</c>, <c>ALL</c>, <c>CREATECLUSTER</c>, ….</summary>
    public IReadOnlyList<string> Privileges { get; internal init; } = Array.Empty<string>();

    /// <summary>
    /// The object type, upper case: <c>TABLE</c> (also when omitted), <c>CLUSTER</c>, <c>SCHEMA</c>, <c>SYSTEM</c>,
    /// or for <c>ON ALL …</c> the plural (<c>TABLES</c>) with <see cref="All"/> set.
    /// </summary>
    public string ObjectType { get; internal init; } = string.Empty;

    /// <summary>Whether the statement says <c>ON ALL …</c>.</summary>
    public bool All { get; internal init; }

    /// <summary>For <c>ON ALL … IN SCHEMA|DATABASE</c>: <c>SCHEMA</c> or <c>DATABASE</c>; the names are <see cref="Targets"/>.</summary>
    public string? AllIn { get; internal init; }

    /// <summary>The objects (or, for <c>ON ALL … IN</c>, schemas or databases) the privileges are on.</summary>
    public IReadOnlyList<ObjectName> Targets { get; internal init; } = Array.Empty<ObjectName>();

    /// <summary>The roles receiving (or losing) the privileges; <c>PUBLIC</c> included as written.</summary>
    public IReadOnlyList<Identifier> Grantees { get; internal init; } = Array.Empty<Identifier>();
}

/// <summary><c>GRANT role [, …] TO member [, …]</c> or <c>REVOKE role [, …] FROM member [, …]</c>.</summary>
public sealed class GrantRoleStatement : SqlStatement
{
    internal GrantRoleStatement(bool revoke)
        : base(revoke ? StatementKind.RevokeRole : StatementKind.GrantRole) => IsRevoke = revoke;

    public bool IsRevoke { get; }

    public IReadOnlyList<Identifier> Roles { get; internal init; } = Array.Empty<Identifier>();

    public IReadOnlyList<Identifier> Members { get; internal init; } = Array.Empty<Identifier>();
}

/// <summary>
/// <c>ALTER DEFAULT PRIVILEGES [FOR ROLE r, … | FOR ALL ROLES] [IN SCHEMA s, … | IN DATABASE d, …]
/// GRANT privileges ON type TO roles</c> (or <c>REVOKE … FROM …</c>).
/// </summary>
public sealed class AlterDefaultPrivilegesStatement : SqlStatement
{
    internal AlterDefaultPrivilegesStatement()
        : base(StatementKind.AlterDefaultPrivileges)
    {
    }

    public bool ForAllRoles { get; internal init; }

    public IReadOnlyList<Identifier> ForRoles { get; internal init; } = Array.Empty<Identifier>();

    public IReadOnlyList<ObjectName> InSchemas { get; internal init; } = Array.Empty<ObjectName>();

    public IReadOnlyList<ObjectName> InDatabases { get; internal init; } = Array.Empty<ObjectName>();

    public bool IsRevoke { get; internal init; }

    public IReadOnlyList<string> Privileges { get; internal init; } = Array.Empty<string>();

    /// <summary>The plural object type, upper case: <c>TABLES</c>, <c>TYPES</c>, <c>SECRETS</c>, ….</summary>
    public string ObjectType { get; internal init; } = string.Empty;

    public IReadOnlyList<Identifier> Grantees { get; internal init; } = Array.Empty<Identifier>();
}

/// <summary><c>SET [SESSION|LOCAL] name {= | TO} value</c>, e.g. <c>SET api = stable</c> in a schema modifier file.</summary>
internal sealed class SetStatement : SqlStatement
{
    internal SetStatement()
        : base(StatementKind.Set)
    {
    }

    public Identifier Variable { get; internal init; } = null!;

    public SqlFragment Value { get; internal init; } = null!;
}

namespace MzDeploy.Engine.Sql;

/// <summary>The kinds of statement the parser recognises.</summary>
public enum StatementKind
{
    /// <summary>A statement the parser does not model (only its tokens and span are known).</summary>
    Other,
    CreateView,
    CreateMaterializedView,
    CreateIndex,
    CreateTable,
    CreateTableFromSource,
    CreateSource,
    CreateSink,
    CreateConnection,
    CreateSecret,
    CreateCluster,
    CreateRole,
    AlterRole,
    CreateNetworkPolicy,

    /// <summary>An mz-deploy constraint: <c>CREATE PRIMARY KEY | UNIQUE CONSTRAINT | FOREIGN KEY …</c>.</summary>
    CreateConstraint,

    /// <summary><c>COMMENT ON … IS …</c>.</summary>
    Comment,

    /// <summary><c>GRANT privileges ON … TO …</c>.</summary>
    Grant,

    /// <summary><c>REVOKE privileges ON … FROM …</c>.</summary>
    Revoke,

    /// <summary><c>GRANT role TO role</c>.</summary>
    GrantRole,

    /// <summary><c>REVOKE role FROM role</c>.</summary>
    RevokeRole,

    AlterDefaultPrivileges,

    /// <summary><c>SET name = value</c> (in a schema modifier file: <c>SET api = stable</c>).</summary>
    Set,

    /// <summary>An mz-deploy unit test: <c>EXECUTE UNIT TEST … FOR … MOCK … EXPECTED …</c>.</summary>
    ExecuteUnitTest,

    /// <summary>A query (<c>SELECT</c>, <c>WITH</c>, <c>VALUES</c>, <c>TABLE</c>).</summary>
    Query,
}

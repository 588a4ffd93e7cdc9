using MzDeploy.Engine.Project;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Compile;

/// <summary>
/// Which statements a project file may hold, by where the file sits (mz-deploy's project rules): one
/// primary statement naming what the file defines, plus companion statements about it.
/// </summary>
internal static class StatementPlacement
{
    private static readonly Dictionary<ProjectFileKind, (StatementKind[] Primary, StatementKind[] Companions, string Hint)> Rules = new()
    {
        [ProjectFileKind.Object] = (
            [StatementKind.CreateView, StatementKind.CreateMaterializedView, StatementKind.CreateTable,
             StatementKind.CreateTableFromSource, StatementKind.CreateSource, StatementKind.CreateSink,
             StatementKind.CreateConnection, StatementKind.CreateSecret],
            [StatementKind.CreateIndex, StatementKind.Comment, StatementKind.Grant, StatementKind.Revoke,
             StatementKind.CreateConstraint, StatementKind.ExecuteUnitTest],
            "an object file holds one CREATE VIEW, MATERIALIZED VIEW, TABLE, SOURCE, SINK, CONNECTION or SECRET, plus its CREATE INDEX, COMMENT ON, GRANT, constraint and EXECUTE UNIT TEST statements"),
        [ProjectFileKind.SchemaModifier] = (
            [],
            [StatementKind.Set, StatementKind.Comment, StatementKind.Grant, StatementKind.Revoke, StatementKind.AlterDefaultPrivileges],
            "a schema file (models/<db>/<schema>.sql) holds SET api = stable, COMMENT ON SCHEMA, GRANT and ALTER DEFAULT PRIVILEGES"),
        [ProjectFileKind.DatabaseModifier] = (
            [],
            [StatementKind.Comment, StatementKind.Grant, StatementKind.Revoke, StatementKind.AlterDefaultPrivileges],
            "a database file (models/<db>.sql) holds COMMENT ON DATABASE, GRANT and ALTER DEFAULT PRIVILEGES"),
        [ProjectFileKind.Cluster] = (
            [StatementKind.CreateCluster],
            [StatementKind.Grant, StatementKind.Revoke, StatementKind.Comment],
            "a cluster file (clusters/<name>.sql) holds one CREATE CLUSTER plus its GRANT and COMMENT ON statements"),
        [ProjectFileKind.Role] = (
            [StatementKind.CreateRole],
            [StatementKind.AlterRole, StatementKind.GrantRole, StatementKind.RevokeRole, StatementKind.Grant, StatementKind.Comment],
            "a role file (roles/<name>.sql) holds one CREATE ROLE plus ALTER ROLE, GRANT and COMMENT ON statements"),
        [ProjectFileKind.NetworkPolicy] = (
            [StatementKind.CreateNetworkPolicy],
            [StatementKind.Grant, StatementKind.Revoke, StatementKind.Comment],
            "a network policy file (network-policies/<name>.sql) holds one CREATE NETWORK POLICY plus GRANT and COMMENT ON statements"),
    };

    public static bool IsPrimary(ProjectFileKind file, StatementKind statement) => Rules[file].Primary.Contains(statement);

    public static bool IsAllowed(ProjectFileKind file, StatementKind statement) =>
        Rules[file].Primary.Contains(statement) || Rules[file].Companions.Contains(statement);

    /// <summary>Whether a file of this kind must define exactly one primary statement.</summary>
    public static bool RequiresPrimary(ProjectFileKind file) => Rules[file].Primary.Length > 0;

    /// <summary>What the folder allows, for error messages.</summary>
    public static string Describe(ProjectFileKind file) => Rules[file].Hint;
}

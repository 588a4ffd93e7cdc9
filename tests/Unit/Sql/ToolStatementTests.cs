using MzDeploy.Engine.Sql;
using static MzDeploy.Tests.Unit.Sql.SqlTestHelpers;

namespace MzDeploy.Tests.Unit.Sql;

/// <summary>Statements a deploy tool sends (the emulator rewrites their names by span).</summary>
public class ToolStatementTests
{
    [Theory]
    [InlineData("CREATE SCHEMA IF NOT EXISTS _mz_deploy.tables", StatementKind.CreateSchema, "_mz_deploy.tables", true)]
    [InlineData("CREATE DATABASE _mz_deploy", StatementKind.CreateDatabase, "_mz_deploy", false)]
    public void Create_schema_and_database(string sql, StatementKind kind, string name, bool ifNotExists)
    {
        var statement = One<CreateNamespaceStatement>(sql);
        Assert.Equal(kind, statement.Kind);
        Assert.Equal(name, statement.Name!.Span.Slice(sql));
        Assert.Equal(ifNotExists, statement.IfNotExists);
    }

    [Theory]
    [InlineData("INSERT INTO _mz_deploy.tables.deployments (deploy_id, at) VALUES ($1, now())", "Relation:_mz_deploy.tables.deployments", 2)]
    [InlineData("INSERT INTO t SELECT * FROM s WHERE x IN (SELECT x FROM u)", "Relation:t Relation:s Relation:u", 0)]
    [InlineData("INSERT INTO t (a) (SELECT 1 FROM s)", "Relation:t Relation:s", 1)]
    [InlineData("INSERT INTO t DEFAULT VALUES RETURNING id", "Relation:t", 0)]
    public void Insert(string sql, string references, int columns)
    {
        var insert = One<InsertStatement>(sql);
        Assert.Equal(references, AllReferences(sql, insert));
        Assert.Equal(columns, insert.Columns.Count);
        Assert.Equal(insert.References[0].Name, insert.Target);
    }

    [Theory]
    [InlineData("UPDATE t SET a = (SELECT max(a) FROM u), b = 2 WHERE id IN (SELECT id FROM v)", StatementKind.Update, "Relation:t Relation:u Relation:v")]
    [InlineData("UPDATE s.t AS x SET a = 1 FROM u WHERE u.id = x.id", StatementKind.Update, "Relation:s.t Relation:u")]
    [InlineData("DELETE FROM _mz_deploy.tables.objects WHERE deploy_id = $1", StatementKind.Delete, "Relation:_mz_deploy.tables.objects")]
    [InlineData("DELETE FROM t d USING u WHERE d.id = u.id", StatementKind.Delete, "Relation:t Relation:u")]
    public void Update_and_delete(string sql, StatementKind kind, string references)
    {
        var statement = One<UpdateStatement>(sql);
        Assert.Equal(kind, statement.Kind);
        Assert.Equal(references, AllReferences(sql, statement));
    }

    [Theory]
    [InlineData("DROP MATERIALIZED VIEW IF EXISTS db.s.mv CASCADE", "MATERIALIZED VIEW", "db.s.mv", true, true)]
    [InlineData("DROP SCHEMA db.s_abc", "SCHEMA", "db.s_abc", false, null)]
    [InlineData("DROP CLUSTER IF EXISTS compute_abc RESTRICT", "CLUSTER", "compute_abc", true, false)]
    [InlineData("DROP VIEW a, b", "VIEW", "a|b", false, null)]
    public void Drop(string sql, string type, string names, bool ifExists, bool? cascade)
    {
        var drop = One<DropStatement>(sql);
        Assert.Equal(type, drop.ObjectType);
        Assert.Equal(names, string.Join("|", drop.Names.Select(n => n.Span.Slice(sql))));
        Assert.Equal(ifExists, drop.IfExists);
        Assert.Equal(cascade, drop.Cascade);
        Assert.Same(drop.Names[0], drop.Name);
    }

    [Theory]
    [InlineData("ALTER SCHEMA \"db\".\"prod\" SWAP WITH \"prod_abc\"", "SCHEMA", "SWAP WITH", "\"db\".\"prod\"", "prod_abc", "")]
    [InlineData("ALTER CLUSTER compute SWAP WITH compute_abc", "CLUSTER", "SWAP WITH", "compute", "compute_abc", "")]
    [InlineData("ALTER VIEW v RENAME TO w", "VIEW", "RENAME TO", "v", "w", "")]
    [InlineData("ALTER SINK db.s.k SET FROM db.s.mv", "SINK", "SET FROM", "db.s.k", null, "Relation:db.s.mv")]
    [InlineData("ALTER MATERIALIZED VIEW mv APPLY REPLACEMENT mv_new", "MATERIALIZED VIEW", "APPLY REPLACEMENT", "mv", null, "Relation:mv_new")]
    [InlineData("ALTER CLUSTER c SET (SIZE = 'large') WITH (WAIT FOR '1m')", "CLUSTER", "SET", "c", null, "")]
    [InlineData("ALTER SCHEMA s OWNER TO deployer", "SCHEMA", "OWNER TO", "s", null, "Role:deployer")]
    public void Alter(string sql, string type, string action, string name, string? newName, string references)
    {
        var alter = One<AlterStatement>(sql);
        Assert.Equal(type, alter.ObjectType);
        Assert.Equal(action, alter.Action);
        Assert.Equal(name, alter.Name!.Span.Slice(sql));
        Assert.Equal(newName, alter.NewName?.Value);
        Assert.Equal(references, AllReferences(sql, alter));
    }

    [Fact]
    public void Declare_cursor_for_subscribe()
    {
        const string sql = "DECLARE c CURSOR FOR SUBSCRIBE (SELECT * FROM mz_internal.mz_hydration_statuses h JOIN x ON true) WITH (SNAPSHOT = true)";
        var declare = One<DeclareStatement>(sql);
        Assert.Equal("c", declare.CursorName.Value);
        var subscribe = Assert.IsType<SubscribeStatement>(declare.Inner);
        Assert.StartsWith("SUBSCRIBE (SELECT", subscribe.Text, StringComparison.Ordinal);
        Assert.Equal("Relation:mz_internal.mz_hydration_statuses Relation:x", AllReferences(sql, declare));
        Assert.Equal(2, subscribe.Query!.References.Count);

        var plain = One<SubscribeStatement>("SUBSCRIBE TO db.s.mv");
        Assert.Equal("db.s.mv", plain.Target!.ToSql());
    }

    [Theory]
    [InlineData("SHOW COLUMNS FROM db.s.v", "COLUMNS", "Relation:db.s.v")]
    [InlineData("SHOW CREATE MATERIALIZED VIEW mv", "CREATE MATERIALIZED VIEW", "Relation:mv")]
    [InlineData("SHOW cluster", "CLUSTER", "")]
    public void Show(string sql, string what, string references)
    {
        var show = One<ShowStatement>(sql);
        Assert.Equal(what, show.What);
        Assert.Equal(references, AllReferences(sql, show));
    }
}

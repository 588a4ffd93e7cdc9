using MzDeploy.Engine.Sql;
using static MzDeploy.Tests.Unit.Sql.SqlTestHelpers;

namespace MzDeploy.Tests.Unit.Sql;

/// <summary>Every statement kind a project file may hold: header fields and references.</summary>
public class StatementTests
{
    [Fact]
    public void Create_view_with_columns_and_references()
    {
        const string sql = "CREATE OR REPLACE VIEW IF NOT EXISTS sales.daily (day, total) AS SELECT d, sum(x) FROM sales.orders GROUP BY d";
        var view = One<CreateViewStatement>(sql);
        Assert.Equal(StatementKind.CreateView, view.Kind);
        Assert.False(view.Materialized);
        Assert.True(view.OrReplace);
        Assert.True(view.IfNotExists);
        Assert.Equal("sales.daily", view.Name!.Span.Slice(sql));
        Assert.Equal(new[] { "day", "total" }, view.Columns.Select(c => c.Value));
        Assert.Null(view.InCluster);
        Assert.Equal("SELECT d, sum(x) FROM sales.orders GROUP BY d", view.Query.Span.Slice(sql));
        Assert.Equal("Relation:sales.orders", AllReferences(sql, view));
        Assert.Equal(sql, view.Text);
    }

    [Fact]
    public void Create_materialized_view_with_cluster_and_options()
    {
        const string sql = """
            CREATE MATERIALIZED VIEW winning_bids
              IN CLUSTER "Compute"
              WITH (RETAIN HISTORY FOR '1 hour', ASSERT NOT NULL id)
            AS SELECT * FROM auctions a JOIN bids b ON a.id = b.auction_id WHERE a.end_time < mz_now()
            """;
        var mv = One<CreateViewStatement>(sql);
        Assert.Equal(StatementKind.CreateMaterializedView, mv.Kind);
        Assert.True(mv.Materialized);
        Assert.Equal("Compute", mv.InCluster!.Value);
        Assert.True(mv.InCluster.Quoted);
        Assert.Equal("\"Compute\"", mv.InCluster.Span.Slice(sql));
        Assert.Equal(new[] { "RETAIN HISTORY FOR", "ASSERT NOT NULL" }, mv.Options.Select(o => o.Name));
        Assert.Equal("1 hour", mv.Options[0].Value!.SimpleValue);
        Assert.Equal("id", mv.Options[1].Value!.SimpleValue);
        Assert.Equal("Cluster:\"Compute\" Relation:auctions Relation:bids", AllReferences(sql, mv));
    }

    [Fact]
    public void Create_replacement_materialized_view_names_its_target()
    {
        const string sql = "CREATE REPLACEMENT MATERIALIZED VIEW db.s_1.mv FOR db.s.mv IN CLUSTER c_1 AS SELECT 1 FROM db.s.src";
        var mv = One<CreateViewStatement>(sql);
        Assert.True(mv.Replacement);
        Assert.Equal("db.s.mv", mv.Target!.Span.Slice(sql));
        Assert.Equal("Relation:db.s.mv Cluster:c_1 Relation:db.s.src", AllReferences(sql, mv));
    }

    [Theory]
    [InlineData("CREATE INDEX idx IN CLUSTER c ON v (a, lower(b))", "idx", "c", "a|lower(b)", false)]
    [InlineData("CREATE INDEX ON v (a)", null, null, "a", false)]
    [InlineData("CREATE INDEX IN CLUSTER c ON s.v (a)", null, "c", "a", false)]
    [InlineData("CREATE DEFAULT INDEX IN CLUSTER c ON v", null, "c", "", true)]
    [InlineData("CREATE DEFAULT INDEX ON v", null, null, "", true)]
    [InlineData("CREATE INDEX IF NOT EXISTS i ON v USING arrangement (a) WITH (RETAIN HISTORY FOR '1h')", "i", null, "a", false)]
    public void Create_index_header(string sql, string? name, string? cluster, string keys, bool isDefault)
    {
        var index = One<CreateIndexStatement>(sql);
        Assert.Equal(name, index.Name?.Item.Value);
        Assert.Equal(cluster, index.InCluster?.Value);
        Assert.Equal(keys, string.Join("|", index.KeyParts.Select(k => k.Text)));
        Assert.Equal(isDefault, index.IsDefault);
        Assert.Equal("v", index.Target!.Item.Value);
        Assert.Contains(index.References, r => r.Kind == ReferenceKind.Relation && r.Name.Item.Value == "v");
    }

    [Fact]
    public void Create_table_with_columns_and_constraints()
    {
        const string sql = "CREATE TABLE IF NOT EXISTS t (id bigint NOT NULL, amount numeric(10,2) DEFAULT 0, tags text[], ts timestamp with time zone, \"Name\" double precision, PRIMARY KEY (id))";
        var table = One<CreateTableStatement>(sql);
        Assert.Equal(StatementKind.CreateTable, table.Kind);
        Assert.Equal(
            new[] { "id bigint", "amount numeric(10, 2)", "tags text[]", "ts timestamp with time zone", "\"Name\" double precision" },
            table.Columns.Select(c => c.ToString()));
        Assert.True(table.Columns[0].NotNull);
        Assert.False(table.Columns[1].NotNull);
        Assert.Empty(table.References);
    }

    [Fact]
    public void Create_table_from_source()
    {
        const string sql = "CREATE TABLE ingest.orders FROM SOURCE ingest.pg_src (REFERENCE = \"public\".\"Orders\") WITH (TEXT COLUMNS (status))";
        var table = One<CreateTableStatement>(sql);
        Assert.Equal(StatementKind.CreateTableFromSource, table.Kind);
        Assert.Equal("ingest.pg_src", table.From!.Span.Slice(sql));
        Assert.Equal(new[] { "public", "Orders" }, table.UpstreamReference!.Values);
        Assert.Equal("Source:ingest.pg_src", AllReferences(sql, table));
        Assert.Equal("TEXT COLUMNS", Assert.Single(table.Options).Name);
    }

    [Fact]
    public void Create_source_names_connector_connection_and_cluster()
    {
        const string sql = """
            CREATE SOURCE IF NOT EXISTS kafka_src IN CLUSTER ingest
              FROM KAFKA CONNECTION conns.kafka (TOPIC 'orders')
              FORMAT AVRO USING CONFLUENT SCHEMA REGISTRY CONNECTION csr
              ENVELOPE UPSERT
            """;
        var source = One<CreateSourceStatement>(sql);
        Assert.Equal("KAFKA", source.ConnectorKind);
        Assert.Equal("conns.kafka", source.Connection!.Span.Slice(sql));
        Assert.Equal("ingest", source.InCluster!.Value);
        Assert.Equal("Cluster:ingest Connection:conns.kafka Connection:csr", AllReferences(sql, source));
    }

    [Theory]
    [InlineData("CREATE SOURCE pg IN CLUSTER c FROM POSTGRES CONNECTION pg_conn (PUBLICATION 'mz_source')", "POSTGRES", "Cluster:c Connection:pg_conn")]
    [InlineData("CREATE SOURCE counter FROM LOAD GENERATOR COUNTER (TICK INTERVAL '1s')", "LOAD GENERATOR", "")]
    [InlineData("CREATE SOURCE ms FROM SQL SERVER CONNECTION ss (PUBLICATION 'x') FOR ALL TABLES", "SQL SERVER", "Connection:ss")]
    [InlineData("CREATE SOURCE hook IN CLUSTER c FROM WEBHOOK BODY FORMAT JSON CHECK (WITH (HEADERS, BODY AS b, SECRET hook_secret) constant_time_eq(headers->'x', hook_secret))", "WEBHOOK", "Cluster:c Secret:hook_secret")]
    public void Create_source_kinds(string sql, string kind, string references)
    {
        var source = One<CreateSourceStatement>(sql);
        Assert.Equal(kind, source.ConnectorKind);
        Assert.Equal(references, AllReferences(sql, source));
    }

    [Fact]
    public void Create_sink_exposes_from_and_connection()
    {
        const string sql = """
            CREATE SINK alerts_sink IN CLUSTER sinks FROM analytics.alerts
              INTO KAFKA CONNECTION kafka_conn (TOPIC 'alerts')
              KEY (id) NOT ENFORCED
              FORMAT JSON ENVELOPE DEBEZIUM
            """;
        var sink = One<CreateSinkStatement>(sql);
        Assert.Equal(StatementKind.CreateSink, sink.Kind);
        Assert.Equal("analytics.alerts", sink.From!.Span.Slice(sql));
        Assert.Equal("kafka_conn", sink.Connection!.Item.Value);
        Assert.Equal("KAFKA", sink.ConnectorKind);
        Assert.Equal("Cluster:sinks Relation:analytics.alerts Connection:kafka_conn", AllReferences(sql, sink));
    }

    [Fact]
    public void Create_connection_references_secrets_and_tunnels_but_not_option_words()
    {
        const string sql = """
            CREATE CONNECTION kafka_conn TO KAFKA (
                BROKERS ('b1:9092' USING SSH TUNNEL tunnels.ssh1, 'b2:9092' USING AWS PRIVATELINK pl (AVAILABILITY ZONE 'use1-az1')),
                SASL MECHANISMS = 'PLAIN',
                SASL USERNAME = 'user',
                SASL PASSWORD = SECRET kafka_password,
                SECRET ACCESS KEY = SECRET aws_key
            ) WITH (VALIDATE = false)
            """;
        var connection = One<CreateConnectionStatement>(sql);
        Assert.Equal("KAFKA", connection.ConnectorKind);
        Assert.Equal("Connection:tunnels.ssh1 Connection:pl Secret:kafka_password Secret:aws_key", AllReferences(sql, connection));
        Assert.Equal(
            new[] { "BROKERS", "SASL MECHANISMS", "SASL USERNAME", "SASL PASSWORD", "SECRET ACCESS KEY", "VALIDATE" },
            connection.Options.Select(o => o.Name));
        Assert.Equal("PLAIN", connection.Options[1].Value!.SimpleValue);
    }

    [Theory]
    [InlineData("CREATE CONNECTION pg TO POSTGRES (HOST 'db', PORT 5432, USER 'u', PASSWORD SECRET pgpass, SSH TUNNEL t)", "POSTGRES", "Secret:pgpass Connection:t")]
    [InlineData("CREATE CONNECTION t TO SSH TUNNEL (HOST 'bastion', USER 'mz', PORT 22)", "SSH TUNNEL", "")]
    [InlineData("CREATE CONNECTION csr TO CONFLUENT SCHEMA REGISTRY (URL 'https://x', PASSWORD = SECRET s.csr_pw)", "CONFLUENT SCHEMA REGISTRY", "Secret:s.csr_pw")]
    [InlineData("CREATE CONNECTION ice TO ICEBERG CATALOG (CATALOG TYPE = 'rest', AWS CONNECTION = aws_conn)", "ICEBERG CATALOG", "Connection:aws_conn")]
    public void Create_connection_kinds(string sql, string kind, string references)
    {
        var connection = One<CreateConnectionStatement>(sql);
        Assert.Equal(kind, connection.ConnectorKind);
        Assert.Equal(references, AllReferences(sql, connection));
    }

    [Theory]
    [InlineData("CREATE SECRET kafka_password AS 'hunter2'", "'hunter2'")]
    [InlineData("CREATE SECRET IF NOT EXISTS s.pw AS env_var('PW')", "env_var('PW')")]
    [InlineData("CREATE SECRET pw AS decode('c2VjcmV0', 'base64')", "decode('c2VjcmV0', 'base64')")]
    public void Create_secret(string sql, string value)
    {
        var secret = One<CreateSecretStatement>(sql);
        Assert.Equal(value, secret.Value.Text);
        Assert.Empty(secret.References);
    }

    [Theory]
    [InlineData("CREATE CLUSTER compute (SIZE = 'M.1-small', REPLICATION FACTOR = 2)", "SIZE=M.1-small|REPLICATION FACTOR=2")]
    [InlineData("CREATE CLUSTER compute SIZE 'xsmall', REPLICATION FACTOR 0", "SIZE=xsmall|REPLICATION FACTOR=0")]
    [InlineData("CREATE CLUSTER u (MANAGED = false, REPLICAS (r1 (SIZE = '1'), r2 (SIZE = '1')))", "MANAGED=false|REPLICAS=")]
    [InlineData("CREATE CLUSTER c (SIZE 'x', SCHEDULE = ON REFRESH (HYDRATION TIME ESTIMATE = '1 hour'))", "SIZE=x|SCHEDULE=")]
    public void Create_cluster_options(string sql, string options)
    {
        var cluster = One<CreateClusterStatement>(sql);
        Assert.Equal(StatementKind.CreateCluster, cluster.Kind);
        Assert.Equal(options, string.Join("|", cluster.Options.Select(o => $"{o.Name}={o.Value?.SimpleValue}")));
    }

    [Fact]
    public void Create_role_alter_role_and_network_policy()
    {
        var role = One<CreateRoleStatement>("CREATE ROLE analyst WITH INHERIT");
        Assert.Equal("analyst", role.Name!.Item.Value);
        Assert.Equal(new[] { "INHERIT" }, role.Options);

        var alter = One<AlterRoleStatement>("ALTER ROLE analyst SET cluster TO analytics");
        Assert.Equal(StatementKind.AlterRole, alter.Kind);
        Assert.Equal("SET cluster TO analytics", alter.Action!.Text);

        var policy = One<CreateNetworkPolicyStatement>("CREATE NETWORK POLICY office (RULES (office (action = 'allow', direction = 'ingress', address = '10.0.0.0/8')))");
        Assert.Equal("office", policy.Name!.Item.Value);
        Assert.Equal("RULES", Assert.Single(policy.Options).Name);
    }

    [Theory]
    [InlineData("COMMENT ON MATERIALIZED VIEW sales.daily IS 'Daily totals'", "MATERIALIZED VIEW", "Relation:sales.daily", "Daily totals", null)]
    [InlineData("COMMENT ON TABLE t IS NULL", "TABLE", "Relation:t", null, null)]
    [InlineData("COMMENT ON COLUMN db.s.v.amount IS 'In cents, it''s exact'", "COLUMN", "Relation:db.s.v", "In cents, it's exact", "amount")]
    [InlineData("COMMENT ON COLUMN v.\"Amount\" IS $$x$$", "COLUMN", "Relation:v", "x", "Amount")]
    [InlineData("COMMENT ON SCHEMA db.sales IS 'owned by sales'", "SCHEMA", "Schema:db.sales", "owned by sales", null)]
    [InlineData("COMMENT ON CLUSTER compute IS 'c'", "CLUSTER", "Cluster:compute", "c", null)]
    [InlineData("COMMENT ON SOURCE s IS 'c'", "SOURCE", "Source:s", "c", null)]
    [InlineData("COMMENT ON SECRET pw IS 'c'", "SECRET", "Secret:pw", "c", null)]
    [InlineData("COMMENT ON ROLE analyst IS 'c'", "ROLE", "Role:analyst", "c", null)]
    [InlineData("COMMENT ON DATABASE materialize IS 'c'", "DATABASE", "Database:materialize", "c", null)]
    [InlineData("COMMENT ON NETWORK POLICY office IS 'c'", "NETWORK POLICY", "NetworkPolicy:office", "c", null)]
    [InlineData("COMMENT ON CLUSTER REPLICA compute.r1 IS 'c'", "CLUSTER REPLICA", "ClusterReplica:compute.r1", "c", null)]
    public void Comment_on(string sql, string type, string references, string? comment, string? column)
    {
        var statement = One<CommentStatement>(sql);
        Assert.Equal(type, statement.ObjectType);
        Assert.Equal(references, AllReferences(sql, statement));
        Assert.Equal(comment, statement.Comment);
        Assert.Equal(column, statement.Column?.Value);
        Assert.Equal(statement.References[0].Name, statement.Target);
    }

    [Theory]
    [InlineData("GRANT SELECT ON sales.daily TO analyst, PUBLIC", StatementKind.Grant, "SELECT", "TABLE", "Relation:sales.daily Role:analyst")]
    [InlineData("GRANT SELECT, INSERT ON TABLE t TO \"Writer\"", StatementKind.Grant, "SELECT|INSERT", "TABLE", "Relation:t Role:\"Writer\"")]
    [InlineData("GRANT USAGE, CREATE ON CLUSTER compute TO deployer", StatementKind.Grant, "USAGE|CREATE", "CLUSTER", "Cluster:compute Role:deployer")]
    [InlineData("GRANT ALL PRIVILEGES ON SCHEMA db.sales TO r", StatementKind.Grant, "ALL", "SCHEMA", "Schema:db.sales Role:r")]
    [InlineData("GRANT USAGE ON CONNECTION kafka_conn TO r", StatementKind.Grant, "USAGE", "CONNECTION", "Connection:kafka_conn Role:r")]
    [InlineData("GRANT USAGE ON SECRET pw TO r", StatementKind.Grant, "USAGE", "SECRET", "Secret:pw Role:r")]
    [InlineData("GRANT SELECT ON ALL TABLES IN SCHEMA db.a, db.b TO r", StatementKind.Grant, "SELECT", "TABLES", "Schema:db.a Schema:db.b Role:r")]
    [InlineData("GRANT CREATEDB, CREATECLUSTER ON SYSTEM TO deployer", StatementKind.Grant, "CREATEDB|CREATECLUSTER", "SYSTEM", "Role:deployer")]
    [InlineData("REVOKE SELECT ON MATERIALIZED VIEW mv FROM r CASCADE", StatementKind.Revoke, "SELECT", "MATERIALIZED VIEW", "Relation:mv Role:r")]
    [InlineData("GRANT USAGE ON DATABASE materialize TO r", StatementKind.Grant, "USAGE", "DATABASE", "Database:materialize Role:r")]
    public void Grant_and_revoke_privileges(string sql, StatementKind kind, string privileges, string type, string references)
    {
        var grant = One<GrantStatement>(sql);
        Assert.Equal(kind, grant.Kind);
        Assert.Equal(privileges, string.Join("|", grant.Privileges));
        Assert.Equal(type, grant.ObjectType);
        Assert.Equal(references, AllReferences(sql, grant));
    }

    [Fact]
    public void Grant_target_and_grantees()
    {
        const string sql = "GRANT SELECT ON sales.daily TO analyst, PUBLIC";
        var grant = One<GrantStatement>(sql);
        Assert.Equal("sales.daily", grant.Target!.Span.Slice(sql));
        Assert.Equal(new[] { "analyst", "public" }, grant.Grantees.Select(g => g.Value));
        var all = One<GrantStatement>("GRANT SELECT ON ALL TABLES IN DATABASE db TO r");
        Assert.True(all.All);
        Assert.Equal("DATABASE", all.AllIn);
        Assert.Null(all.Target);
        Assert.Equal("db", Assert.Single(all.Targets).Item.Value);
    }

    [Theory]
    [InlineData("GRANT materialize_deployer TO ci_user", StatementKind.GrantRole, "materialize_deployer", "ci_user")]
    [InlineData("GRANT a, b TO c, d", StatementKind.GrantRole, "a|b", "c|d")]
    [InlineData("REVOKE a FROM c", StatementKind.RevokeRole, "a", "c")]
    public void Grant_and_revoke_roles(string sql, StatementKind kind, string roles, string members)
    {
        var grant = One<GrantRoleStatement>(sql);
        Assert.Equal(kind, grant.Kind);
        Assert.Equal(roles, string.Join("|", grant.Roles.Select(r => r.Value)));
        Assert.Equal(members, string.Join("|", grant.Members.Select(r => r.Value)));
        Assert.All(grant.References, r => Assert.Equal(ReferenceKind.Role, r.Kind));
    }

    [Fact]
    public void Alter_default_privileges()
    {
        const string sql = "ALTER DEFAULT PRIVILEGES FOR ROLE deployer IN SCHEMA db.sales GRANT SELECT ON TABLES TO analyst";
        var statement = One<AlterDefaultPrivilegesStatement>(sql);
        Assert.Equal(new[] { "deployer" }, statement.ForRoles.Select(r => r.Value));
        Assert.Equal("db.sales", Assert.Single(statement.InSchemas).Span.Slice(sql));
        Assert.Equal("TABLES", statement.ObjectType);
        Assert.Equal(new[] { "SELECT" }, statement.Privileges);
        Assert.False(statement.IsRevoke);
        Assert.Equal("Role:deployer Schema:db.sales Role:analyst", AllReferences(sql, statement));

        var all = One<AlterDefaultPrivilegesStatement>("ALTER DEFAULT PRIVILEGES FOR ALL ROLES REVOKE USAGE ON TYPES FROM PUBLIC");
        Assert.True(all.ForAllRoles);
        Assert.True(all.IsRevoke);
        Assert.Empty(all.References);
    }

    [Theory]
    [InlineData("SET api = stable", "api", "stable")]
    [InlineData("SET api TO 'stable'", "api", "stable")]
    [InlineData("SET SESSION cluster = compute", "cluster", "compute")]
    public void Set_statement(string sql, string variable, string value)
    {
        var set = One<SetStatement>(sql);
        Assert.Equal(variable, set.Variable.Value);
        Assert.Equal(value, set.Value.SimpleValue);
    }

    [Fact]
    public void Execute_unit_test_with_mocks_and_expected()
    {
        const string sql = """
            EXECUTE UNIT TEST test_single_user
            FOR materialize.public.user_order_summary
            AT TIME '2024-01-15T12:00:00Z'
            MOCK materialize.public.users(id bigint, name text) AS (
              SELECT * FROM VALUES (1, 'alice')
            ),
            MOCK orders(id bigint, user_id bigint, amount numeric(10,2)) AS (
              SELECT 10, 1, 9.5 UNION ALL SELECT 11, 1, 0.5
            ),
            EXPECTED(user_id bigint, name text, total_orders bigint) AS (
              SELECT * FROM VALUES (1, 'alice', 2)
            )
            """;
        var test = One<UnitTestStatement>(sql);
        Assert.Equal(StatementKind.ExecuteUnitTest, test.Kind);
        Assert.Equal("test_single_user", test.TestName.Value);
        Assert.Equal("materialize.public.user_order_summary", test.Target!.Span.Slice(sql));
        Assert.Equal("2024-01-15T12:00:00Z", test.AtTime);
        Assert.Equal(2, test.Mocks.Count);
        Assert.Equal("materialize.public.users", test.Mocks[0].Name.Span.Slice(sql));
        Assert.Equal(new[] { "id bigint", "name text" }, test.Mocks[0].Columns.Select(c => c.ToString()));
        Assert.Equal("SELECT * FROM VALUES (1, 'alice')", test.Mocks[0].Query.Span.Slice(sql));
        Assert.Equal("numeric(10, 2)", test.Mocks[1].Columns[2].DataType);
        Assert.Equal(new[] { "user_id", "name", "total_orders" }, test.Expected.Columns.Select(c => c.Name.Value));
        Assert.Equal("SELECT * FROM VALUES (1, 'alice', 2)", test.Expected.Query.Span.Slice(sql));
        Assert.Equal(
            "Relation:materialize.public.user_order_summary Relation:materialize.public.users Relation:orders",
            AllReferences(sql, test));
    }

    [Fact]
    public void Unit_test_without_expected_is_an_error()
    {
        var script = SqlParser.Parse("EXECUTE UNIT TEST t FOR db.s.v MOCK db.s.x(a int) AS (SELECT 1)");
        Assert.Equal("expected EXPECTED, found end of statement", Assert.Single(script.Errors).Message);
    }

    [Theory]
    [InlineData("CREATE PRIMARY KEY users_pk IN CLUSTER compute ON users (id)", ConstraintKind.PrimaryKey, true, "users_pk", "compute", "id", null)]
    [InlineData("CREATE UNIQUE CONSTRAINT IN CLUSTER compute ON emails (email, domain)", ConstraintKind.Unique, true, null, "compute", "email|domain", null)]
    [InlineData("CREATE FOREIGN KEY orders_fk IN CLUSTER compute ON orders (user_id) REFERENCES mydb.public.users (id)", ConstraintKind.ForeignKey, true, "orders_fk", "compute", "user_id", "mydb.public.users")]
    [InlineData("CREATE PRIMARY KEY NOT ENFORCED items_pk ON items (item_id)", ConstraintKind.PrimaryKey, false, "items_pk", null, "item_id", null)]
    [InlineData("CREATE PRIMARY KEY NOT ENFORCED ON items (item_id)", ConstraintKind.PrimaryKey, false, null, null, "item_id", null)]
    public void Create_constraint(string sql, ConstraintKind kind, bool enforced, string? name, string? cluster, string columns, string? referenced)
    {
        var constraint = One<CreateConstraintStatement>(sql);
        Assert.Equal(kind, constraint.ConstraintKind);
        Assert.Equal(enforced, constraint.Enforced);
        Assert.Equal(name, constraint.Name?.Item.Value);
        Assert.Equal(cluster, constraint.InCluster?.Value);
        Assert.Equal(columns, string.Join("|", constraint.Columns.Select(c => c.Value)));
        Assert.Equal(referenced, constraint.ReferencedObject?.ToSql());
        Assert.NotNull(constraint.Target);
    }

    [Theory]
    [InlineData("BEGIN")]
    [InlineData("CREATE CLUSTER REPLICA c.r1 (SIZE = '1')")]
    [InlineData("DROP OWNED BY r CASCADE")]
    [InlineData("EXPLAIN SELECT * FROM t")]
    [InlineData("CREATE TYPE point AS (x int, y int)")]
    public void Unmodelled_statements_are_other(string sql)
    {
        var statement = One(sql);
        Assert.Equal(StatementKind.Other, statement.Kind);
        Assert.Equal(sql, statement.Text);
        Assert.Empty(statement.References);
    }

    [Fact]
    public void A_file_with_several_statements()
    {
        const string sql = """
            -- The daily sales view.
            CREATE VIEW daily AS SELECT * FROM orders;

            CREATE INDEX daily_idx IN CLUSTER compute ON daily (day);
            COMMENT ON VIEW daily IS 'Daily';
            GRANT SELECT ON daily TO analyst;
            """;
        var script = SqlParser.Parse(sql);
        Assert.True(script.Succeeded);
        Assert.Equal(
            new[] { StatementKind.CreateView, StatementKind.CreateIndex, StatementKind.Comment, StatementKind.Grant },
            script.Statements.Select(s => s.Kind));
        Assert.Equal("CREATE VIEW daily AS SELECT * FROM orders", script.Statements[0].Text);
        Assert.Equal(new LinePosition(2, 1), script.Lines.GetPosition(script.Statements[0].Span.Start));
        Assert.Equal(new LinePosition(4, 1), script.Lines.GetPosition(script.Statements[1].Span.Start));
        Assert.Single(script.Comments);
    }
}

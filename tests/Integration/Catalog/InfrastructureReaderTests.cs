using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Model;
using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Catalog;

/// <summary>Reading what Invoke-MzApply plans against from the real emulator's catalog, in one statement.</summary>
public sealed class InfrastructureReaderTests(CatalogEmulator emulator) : IClassFixture<CatalogEmulator>
{
    [Fact]
    public async Task Clusters_roles_secrets_tables_grants_and_comments_are_read_in_one_statement()
    {
        var cluster = TestData.UniqueName("infra");
        var role = TestData.UniqueName("reader");
        var member = TestData.UniqueName("member");
        var database = TestData.UniqueName("db");
        await using (var admin = await emulator.AdminAsync())
        {
            await admin.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = 'small', REPLICATION FACTOR = 2)");
            await admin.ExecAsync($"CREATE ROLE {role}");
            await admin.ExecAsync($"CREATE ROLE {member}");
            await admin.ExecAsync($"GRANT {role} TO {member}");
            await admin.ExecAsync($"GRANT USAGE ON CLUSTER {cluster} TO {role}");
            await admin.ExecAsync($"CREATE DATABASE {database}");
            await admin.ExecAsync($"CREATE SCHEMA {database}.raw");
            await admin.ExecAsync($"CREATE SECRET {database}.raw.api_key AS 'never-read-back'");
            await admin.ExecAsync($"CREATE TABLE {database}.raw.orders (id int NOT NULL, note text)");
            await admin.ExecAsync($"GRANT SELECT ON TABLE {database}.raw.orders TO {role}");
            await admin.ExecAsync($"COMMENT ON TABLE {database}.raw.orders IS 'all orders'");
        }

        await using var session = await emulator.Factory().OpenAsync(CancellationToken.None);
        var snapshot = await InfrastructureReader.ReadAsync(session, CancellationToken.None);

        var read = snapshot.Clusters[cluster];
        Assert.True(read.Managed);
        Assert.Equal("small", read.Size);
        Assert.Equal(2, read.ReplicationFactor);
        Assert.Contains(new InfrastructureGrant("USAGE", role), read.Grants);
        Assert.Equal([member], snapshot.Roles[role].Members);
        Assert.Contains(new SchemaId(database, "raw"), snapshot.Schemas);
        Assert.Equal(InfrastructureKind.Secret, snapshot.Objects[new ObjectId(database, "raw", "api_key")].Kind);
        var table = snapshot.Objects[new ObjectId(database, "raw", "orders")];
        Assert.Equal(InfrastructureKind.Table, table.Kind);
        Assert.Equal(["id integer NOT NULL", "note text"], table.Columns.Select(c => c.ToString()));
        Assert.Contains(new InfrastructureGrant("SELECT", role), table.Grants);
        Assert.Equal("all orders", table.Comment);
        Assert.Null(table.Source);
    }
}

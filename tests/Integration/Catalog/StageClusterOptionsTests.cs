using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Operations;
using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Catalog;

/// <summary>Reading a managed production cluster's options from SHOW CREATE CLUSTER, to clone them.</summary>
public sealed class StageClusterOptionsTests(StageEmulator emulator) : IClassFixture<StageEmulator>
{
    [Fact]
    public void Options_other_than_managed_size_replication_factor_and_replicas_are_kept_verbatim_in_order()
    {
        var options = ProductionClusterReader.ExtraOptions(
            "CREATE CLUSTER \"my (odd), cluster\" (INTROSPECTION DEBUGGING = false, INTROSPECTION INTERVAL = INTERVAL '00:00:01', "
            + "MANAGED = true, REPLICATION FACTOR = 2, SIZE = '25cc', AVAILABILITY ZONES = ('use1-az1', 'use1-az2'), SCHEDULE = MANUAL)");

        Assert.Equal(new[]
        {
            "INTROSPECTION DEBUGGING=false",
            "INTROSPECTION INTERVAL=INTERVAL '00:00:01'",
            "AVAILABILITY ZONES=('use1-az1', 'use1-az2')",
            "SCHEDULE=MANUAL",
        }, options.Select(o => $"{o.Key}={o.Value}"));
    }

    [Fact]
    public async Task A_managed_cluster_is_read_with_its_size_replication_factor_options_and_id()
    {
        var cluster = TestData.UniqueName("managed");
        await using var admin = await emulator.AdminAsync();
        await admin.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = 'small', REPLICATION FACTOR = 2, INTROSPECTION DEBUGGING = true)");
        await using var session = await emulator.Factory().OpenAsync(CancellationToken.None);

        var read = (await ProductionClusterReader.ReadAsync(session, [cluster, "no_such_cluster"], CancellationToken.None)).Single();

        Assert.Equal(await admin.ScalarAsync($"SELECT id FROM mz_clusters WHERE name = '{cluster}'"), read.Id);
        Assert.True(read.Cluster.Managed);
        Assert.Equal("small", read.Cluster.Size);
        Assert.Equal(2, read.Cluster.ReplicationFactor);
        var clone = read.Cluster.CreateCloneSql(cluster + "_x");
        Assert.StartsWith($"CREATE CLUSTER {cluster}_x (SIZE = 'small', REPLICATION FACTOR = 2, INTROSPECTION DEBUGGING = ", clone);
        await admin.ExecAsync(clone);
        Assert.Equal(2L, await admin.ScalarAsync($"SELECT count(*) FROM mz_cluster_replicas r JOIN mz_clusters c ON c.id = r.cluster_id WHERE c.name = '{cluster}_x'"));
    }
}

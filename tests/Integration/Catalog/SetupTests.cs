using MzDeploy.Engine;
using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Operations;
using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Catalog;

/// <summary>Initialize-MzDeploy's engine on a fresh server: the whole story in order, on an emulator of its own.</summary>
public sealed class SetupTests(CatalogEmulator emulator) : IClassFixture<CatalogEmulator>
{
    private static readonly SetupOptions Options = new("xsmall");

    [Fact]
    public async Task Setup_creates_the_tracking_infrastructure_once_and_commands_verify_it()
    {
        var factory = emulator.Factory();

        // Before setup, connecting commands refuse and name what is missing.
        var before = await Assert.ThrowsAsync<MzDeployException>(() =>
            DeploymentQueries.GetAsync(factory, DeploymentScope.Staging, null, 300, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.SetupRequired.Id, before.ErrorId);
        Assert.StartsWith("mz-deploy infrastructure is not fully initialized: missing cluster _mz_deploy_server, database _mz_deploy, "
            + "schema _mz_deploy.tables, schema _mz_deploy.public, table _mz_deploy.tables.deployments and ", before.Message);
        Assert.EndsWith(" more", before.Message);
        Assert.IsType<RunSetup>(before.Remedy);

        // A dry run plans every statement and changes nothing.
        SetupResult plan;
        await using (var prepared = await SetupOperation.PrepareAsync(factory, Options, NullOperationLog.Instance, CancellationToken.None))
            plan = prepared.Preview;
        Assert.True(plan.DryRun);
        Assert.True(plan.RbacActive);
        Assert.Equal("CREATE CLUSTER \"_mz_deploy_server\" (SIZE = 'xsmall')", plan.Statements[0]);
        Assert.Contains(plan.Statements, s => s.StartsWith("GRANT CREATEDB, CREATECLUSTER ON SYSTEM TO \"materialize_deployer\"", StringComparison.Ordinal));
        await using (var admin = await emulator.AdminAsync())
        {
            Assert.Equal(0L, await admin.ScalarAsync("SELECT count(*) FROM mz_clusters WHERE name = '_mz_deploy_server'"));
            Assert.Equal(0L, await admin.ScalarAsync("SELECT count(*) FROM mz_databases WHERE name = '_mz_deploy'"));
        }

        // The real run creates what the plan listed.
        var result = await SetupOperation.RunAsync(factory, Options, NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(plan.Created, result.Created);
        Assert.Empty(result.AlreadyPresent);
        Assert.Equal(20, result.Grants.Count);
        Assert.Contains("role materialize_monitor", result.Created);
        await using (var admin = await emulator.AdminAsync())
        {
            var objects = await admin.RowsAsync(
                "SELECT s.name, o.type, count(*) FROM mz_objects o JOIN mz_schemas s ON s.id = o.schema_id "
                + "JOIN mz_databases d ON d.id = s.database_id WHERE d.name = '_mz_deploy' GROUP BY 1, 2 ORDER BY 1, 2");
            Assert.Equal(["public index 4", "public view 12", "tables index 8", "tables table 10"],
                objects.Select(r => $"{r[0]} {r[1]} {r[2]}"));
            Assert.Equal(1L, await admin.ScalarAsync("SELECT version FROM _mz_deploy.tables.version"));
            Assert.Equal(3L, await admin.ScalarAsync("SELECT count(*) FROM mz_roles WHERE name LIKE 'materialize\\_%'"));
            Assert.Equal("xsmall", await admin.ScalarAsync("SELECT size FROM mz_clusters WHERE name = '_mz_deploy_server'"));
        }

        // A second run creates nothing (grants are re-issued: they change nothing) and says what it found.
        var again = await SetupOperation.RunAsync(factory, Options, NullOperationLog.Instance, CancellationToken.None);
        Assert.Empty(again.Created);
        Assert.Equal(result.Created, again.AlreadyPresent);
        Assert.All(again.Statements, s => Assert.StartsWith("GRANT ", s));
        await using (var admin = await emulator.AdminAsync())
            Assert.Equal(1L, await admin.ScalarAsync("SELECT count(*) FROM _mz_deploy.tables.version"));

        // Now connecting commands pass the pre-flight.
        Assert.Empty(await DeploymentQueries.GetAsync(factory, DeploymentScope.All, null, 300, NullOperationLog.Instance, CancellationToken.None));

        // Setup heals drift: a dropped view is named by the pre-flight and recreated by the next run.
        await using (var admin = await emulator.AdminAsync())
            await admin.ExecAsync("DROP VIEW _mz_deploy.public.missing_clusters");
        var drift = await Assert.ThrowsAsync<MzDeployException>(() =>
            DeploymentQueries.GetAsync(factory, DeploymentScope.Staging, null, 300, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal("mz-deploy infrastructure is not fully initialized: missing view _mz_deploy.public.missing_clusters (this version of "
            + "MzDeploy uses tracking objects the existing installation lacks: running setup again adds them and keeps every deployment "
            + "and record)", drift.Message);
        var healed = await SetupOperation.RunAsync(factory, Options, NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(["view _mz_deploy.public.missing_clusters", "index _mz_deploy.public.missing_clusters_deploy_id_idx"], healed.Created);

        // An installation made before the rollback window has no kept_versions: commands say setup must run again, and
        // running it adds the table (and its view) to the existing installation, keeping the rows already recorded.
        await using (var admin = await emulator.AdminAsync())
        {
            await admin.ExecAsync("INSERT INTO _mz_deploy.tables.unmanaged_drops VALUES ('old', 'view', 'materialize.public.v', 'alice', now())");
            await admin.ExecAsync("DROP VIEW _mz_deploy.public.kept_versions");
            await admin.ExecAsync("DROP TABLE _mz_deploy.tables.kept_versions");
        }

        var older = await Assert.ThrowsAsync<MzDeployException>(() =>
            DeploymentQueries.GetAsync(factory, DeploymentScope.Staging, null, 300, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.SetupRequired.Id, older.ErrorId);
        Assert.StartsWith("mz-deploy infrastructure is not fully initialized: missing table _mz_deploy.tables.kept_versions, "
            + "view _mz_deploy.public.kept_versions (this version of MzDeploy uses tracking objects the existing installation lacks: "
            + "running setup again adds them", older.Message);
        var upgraded = await SetupOperation.RunAsync(factory, Options, NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(["table _mz_deploy.tables.kept_versions", "index _mz_deploy.tables.kept_versions_deploy_id_idx", "view _mz_deploy.public.kept_versions"],
            upgraded.Created);
        Assert.Contains("table _mz_deploy.tables.deployments", upgraded.AlreadyPresent);
        Assert.Empty(await DeploymentQueries.GetAsync(factory, DeploymentScope.All, null, 300, NullOperationLog.Instance, CancellationToken.None));
        await using (var admin = await emulator.AdminAsync())
        {
            Assert.Equal(1L, await admin.ScalarAsync("SELECT count(*) FROM _mz_deploy.tables.unmanaged_drops WHERE deploy_id = 'old'"));
            Assert.Equal(0L, await admin.ScalarAsync("SELECT count(*) FROM _mz_deploy.public.kept_versions"));
        }

        // And again: nothing left to add.
        Assert.Empty((await SetupOperation.RunAsync(factory, Options, NullOperationLog.Instance, CancellationToken.None)).Created);
    }
}

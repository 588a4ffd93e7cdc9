using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Operations;
using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Catalog;

/// <summary>An emulator of its own, set up, for deployment comparisons (they stage and promote).</summary>
public sealed class CompareEmulator : CatalogEmulator
{
    protected override bool RunSetup => true;
}

/// <summary>
/// The comparison of a staged deployment with production against the emulator: a promoted version, then a staged one that
/// changes one view's results and leaves a materialized view's alone.
/// </summary>
public sealed class CompareOperationTests(CompareEmulator emulator) : IClassFixture<CompareEmulator>, IDisposable
{
    private readonly List<string> _folders = [];

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            TestData.DeleteQuietly(folder);
        }
    }

    /// <summary>
    /// Orders (ids 1..6, amounts 5..30) in a schema of their own; a project with a materialized view of totals per region
    /// and a view of the orders above <paramref name="threshold"/>; promoted as <c>&lt;id&gt;1</c>, then staged with
    /// <paramref name="newThreshold"/> as <c>&lt;id&gt;2</c>.
    /// </summary>
    private async Task<(string Schema, string Cluster, string Staged)> PromotedThenStagedAsync(string id, int threshold, int newThreshold)
    {
        var schema = TestData.UniqueName("app");
        var data = TestData.UniqueName("data");
        var cluster = TestData.UniqueName("compute");
        var root = Directory.CreateTempSubdirectory("mzcompare-test-").FullName;
        _folders.Add(root);
        await using (var admin = await emulator.AdminAsync())
        {
            await admin.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = 'xsmall')");
            await admin.ExecAsync($"CREATE SCHEMA materialize.{data}");
            await admin.ExecAsync($"CREATE TABLE materialize.{data}.orders (id int, region text, amount int)");
            await admin.ExecAsync($"INSERT INTO materialize.{data}.orders VALUES (1, 'eu', 5), (2, 'eu', 10), (3, 'us', 15), (4, 'us', 20), (5, 'eu', 25), (6, 'us', 30)");
        }

        void Write(string path, string text)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        Write("project.toml", $"dependencies = [\"materialize.{data}.orders\"]\n");
        Write($"clusters/{cluster}.sql", $"CREATE CLUSTER {cluster} (SIZE = 'xsmall');");
        Write($"models/materialize/{schema}/totals.sql",
            $"CREATE MATERIALIZED VIEW totals IN CLUSTER {cluster} AS SELECT region, sum(amount) AS total FROM materialize.{data}.orders GROUP BY region;");
        void Big(int above) =>
            Write($"models/materialize/{schema}/big.sql", $"CREATE VIEW big AS SELECT id, amount FROM materialize.{data}.orders WHERE amount > {above};");

        Big(threshold);
        await using (var stage = await StageOperation.PrepareAsync(emulator.Factory(), new StageRequest(root, id + "1"), NullOperationLog.Instance, CancellationToken.None))
        {
            await stage.ExecuteAsync(NullOperationLog.Instance, CancellationToken.None);
        }

        await PromoteOperation.RunAsync(emulator.Factory(), new PromoteRequest(id + "1", NoReadyCheck: true), NullOperationLog.Instance, CancellationToken.None);
        Big(newThreshold);
        await using (var stage = await StageOperation.PrepareAsync(emulator.Factory(), new StageRequest(root, id + "2"), NullOperationLog.Instance, CancellationToken.None))
        {
            await stage.ExecuteAsync(NullOperationLog.Instance, CancellationToken.None);
        }

        return (schema, cluster, id + "2");
    }

    [Fact]
    public async Task A_changed_view_shows_its_counts_and_sampled_rows_and_an_unchanged_materialized_view_none()
    {
        var (schema, cluster, staged) = await PromotedThenStagedAsync("cmp", threshold: 10, newThreshold: 20);

        await using var compare = await CompareOperation.PrepareAsync(emulator.Factory(), new CompareRequest(staged, SampleSize: 1),
            NullOperationLog.Instance, CancellationToken.None);
        var plan = compare.Plan;
        Assert.Equal($"SET cluster = \"{cluster}_{staged}\"", plan.Statements[0]);
        Assert.Equal([$"materialize.{schema}.big", $"materialize.{schema}.totals"], plan.Objects.Select(o => o.Production.ToString()));
        Assert.Equal(3, plan.Statements.Count);

        var results = await compare.ExecuteAsync(NullOperationLog.Instance, CancellationToken.None);

        var big = results.Single(r => r.Object.Production.Name == "big").Result;
        Assert.Equal((4L, 2L), (big.RightCount, big.LeftCount));            // production: amounts 15, 20, 25, 30; staged: 25, 30
        Assert.Equal((2L, 0L), (big.OnlyRightCount, big.OnlyLeftCount));
        var sampled = Assert.Single(big.OnlyRight);                        // -SampleSize 1
        Assert.Contains(Convert.ToInt32(sampled.Values.Single(v => v.Key == "amount").Value, System.Globalization.CultureInfo.InvariantCulture), new[] { 15, 20 });
        Assert.Empty(big.OnlyLeft);
        var totals = results.Single(r => r.Object.Production.Name == "totals");
        Assert.True(totals.Result.IsIdentical);
        Assert.Equal((2L, 2L, 0L), (totals.Result.LeftCount, totals.Result.RightCount, totals.ChangedRows));
    }

    [Fact]
    public async Task The_changed_rows_check_refuses_above_the_limit_and_passes_at_it()
    {
        var (schema, _, staged) = await PromotedThenStagedAsync("lim", threshold: 10, newThreshold: 20);

        var error = await Assert.ThrowsAsync<MzDeployException>(() =>
            CompareOperation.CheckChangedRowsAsync(emulator.Factory(), staged, 1, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.ChangedRowsExceeded, error.Error);
        Assert.Contains($"materialize.{schema}.big (2 changed: 2 only in production, 0 only in staging)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("totals", error.Message, StringComparison.Ordinal);

        var passed = await CompareOperation.CheckChangedRowsAsync(emulator.Factory(), staged, 2, NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(2, passed.Count);
        Assert.All(passed, p => Assert.Empty(p.Result.OnlyRight));      // counts only: no samples read
    }

    [Fact]
    public async Task An_unknown_deployment_is_not_found()
    {
        var error = await Assert.ThrowsAsync<MzDeployException>(() =>
            CompareOperation.PrepareAsync(emulator.Factory(), new CompareRequest("nosuch"), NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.DeploymentNotFound, error.Error);
    }
}

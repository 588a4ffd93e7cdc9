using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Tests.Integration.Faults;

/// <summary>
/// The errors of issue 10, one fault each: what a failed promote or stage reports must match what it left behind (a
/// lost session is ConnectionFailed, a failure after the swap is PromoteIncomplete, a failed read of finished work is
/// no error), and two promotes of one deployment at once swap it once.
/// </summary>
public sealed class FaultReportTests(FaultEmulator emulator) : IClassFixture<FaultEmulator>
{
    /// <summary>A project with version 1 in production and version 2 staged as <paramref name="id"/>.</summary>
    private async Task<FaultProject> StagedAsync(string id)
    {
        var project = new FaultProject(emulator);
        await project.CreateProductionClusterAsync();
        project.Version(1);
        Expect(await project.StageAsync(id + "v1"), null);
        Expect(await project.PromoteAsync(id + "v1"), null);
        project.Version(2);
        Expect(await project.StageAsync(id), null);
        return project;
    }

    private async Task FaultAsync(string pattern, int nth, string action) => await StatementFault.InjectAsync(emulator, pattern, nth, action);

    [Theory]
    // The conflict check (production read), and the readiness read, after which the conflicts used to be read again
    // on the closed session ("Connection is not open").
    [InlineData("pfconf", @"SELECT database, schema, deploy\_id, promoted\_at FROM ""\_mz\_deploy"".""public"".""production""%")]
    [InlineData("pfready", @"WITH staged AS%")]
    public async Task A_connection_lost_in_the_pre_flight_is_ConnectionFailed_and_changes_nothing(string id, string pattern)
    {
        using var project = await StagedAsync(id);
        await FaultAsync(pattern, 1, "close");

        var outcome = await project.PromoteAsync(id);

        Assert.True(await StatementFault.FiredAndClearAsync(emulator));
        Assert.Equal(ErrorIds.ConnectionFailed.Id, outcome.ErrorId);
        Assert.Null(await project.ProductionIsAsync(1));
        Expect(await project.PromoteAsync(id), null);
        Assert.Null(await project.ProductionIsAsync(2));
        Assert.Empty(await project.LeftoversAsync(id, trackingRows: false));
    }

    [Theory]
    [InlineData("afterx", "error")]
    [InlineData("afterc", "close")]
    public async Task A_failure_on_the_first_read_after_the_swap_is_PromoteIncomplete_and_says_it_is_live(string id, string action)
    {
        using var project = await StagedAsync(id);
        // The deployment's rows are read three times: when the promote is prepared, when it executes, and, re-planning,
        // right after the swap committed.
        await FaultAsync(@"SELECT database, schema, kind, deployed\_at, promoted\_at FROM ""\_mz\_deploy"".""public"".""deployments""%", 3, action);

        var outcome = await project.PromoteAsync(id);

        Assert.True(await StatementFault.FiredAndClearAsync(emulator));
        Assert.Equal(ErrorIds.PromoteIncomplete.Id, outcome.ErrorId);
        Assert.Contains($"deployment '{id}' is live in production", outcome.Message);
        Assert.Null(await project.ProductionIsAsync(2));
        var shown = await project.DeploymentAsync(id);
        Assert.NotNull(shown);
        Assert.DoesNotContain(shown.Clusters, c => c.Cluster.Contains($"_{id}_{id}", StringComparison.Ordinal));
        Expect(await project.PromoteAsync(id), null);
        Assert.Null(await project.ProductionIsAsync(2));
        Assert.Empty(await project.LeftoversAsync(id, trackingRows: false));
        Assert.Equal(DeploymentState.Promoted, (await project.DeploymentAsync(id))?.State);
    }

    [Fact]
    public async Task A_failed_final_read_of_a_finished_stage_warns_and_staging_again_says_it_exists()
    {
        using var project = new FaultProject(emulator);
        await project.CreateProductionClusterAsync();
        project.Version(1);
        // The first statement of the read-back, after every statement of the plan ran.
        await FaultAsync(@"SELECT deploy\_id, deployed\_at, promoted\_at, database, schema, deployed\_by, commit, kind FROM%", 1, "error");

        var outcome = await project.StageAsync("finalst");

        Assert.True(await StatementFault.FiredAndClearAsync(emulator));
        Assert.Null(outcome.ErrorId);
        Assert.Contains(outcome.Warnings, w => w.Contains("Deployment 'finalst' is staged; reading its status back failed", StringComparison.Ordinal));
        Assert.Equal(new[] { "mv", "v" }, ((DeploymentInfo)outcome.Result!).Objects.Select(o => o.Name).Order());
        Assert.Equal(ErrorIds.DeploymentExists.Id, (await project.StageAsync("finalst")).ErrorId);
        Expect(await project.PromoteAsync("finalst"), null);
        Assert.Null(await project.ProductionIsAsync(1));
    }

    [Fact]
    public async Task A_failed_final_read_of_a_finished_promote_warns_and_promoting_again_says_it_is_promoted()
    {
        using var project = await StagedAsync("finalpr");
        await FaultAsync(@"SELECT max(promoted\_at) FROM%", 1, "close");

        var outcome = await project.PromoteAsync("finalpr");

        Assert.True(await StatementFault.FiredAndClearAsync(emulator));
        Assert.Null(outcome.ErrorId);
        Assert.Null(((PromoteResult)outcome.Result!).PromotedAt);
        Assert.Contains(outcome.Warnings, w => w.Contains("is promoted and its promote is complete", StringComparison.Ordinal));
        Assert.Null(await project.ProductionIsAsync(2));
        Assert.Empty(await project.LeftoversAsync("finalpr", trackingRows: false));
        Assert.Equal(ErrorIds.DeploymentAlreadyPromoted.Id, (await project.PromoteAsync("finalpr")).ErrorId);
        Assert.Equal(DeploymentState.Promoted, (await project.DeploymentAsync("finalpr"))?.State);
    }

    /// <summary>
    /// A promote that read the state before its twin swapped must not take the twin's unfinished promote for an
    /// interrupted one and finish it alongside: it reports that another promote swapped first and changes nothing.
    /// </summary>
    [Fact]
    public async Task A_promote_prepared_before_its_twin_swapped_says_it_is_promoted_instead_of_finishing_the_twin()
    {
        using var project = await StagedAsync("twinp");
        await using var late = await project.PreparePromoteAsync("twinp");
        // The twin swaps, then stops on its first read after the swap (see the test above), leaving it swapped.
        await FaultAsync(@"SELECT database, schema, kind, deployed\_at, promoted\_at FROM ""\_mz\_deploy"".""public"".""deployments""%", 3, "error");
        Assert.Equal(ErrorIds.PromoteIncomplete.Id, (await project.PromoteAsync("twinp")).ErrorId);
        Assert.True(await StatementFault.FiredAndClearAsync(emulator));
        var before = await project.ProductionAsync();

        var outcome = await project.ExecuteAsync(late);

        Assert.Equal(ErrorIds.DeploymentAlreadyPromoted.Id, outcome.ErrorId);
        Assert.Contains("was promoted by another promote running at the same time", outcome.Message);
        Assert.Equal(before, await project.ProductionAsync());
        Assert.NotEmpty(await project.LeftoversAsync("twinp", trackingRows: false)); // the old copies: nothing was finished
        Expect(await project.PromoteAsync("twinp"), null);
        Assert.Null(await project.ProductionIsAsync(2));
        Assert.Empty(await project.LeftoversAsync("twinp", trackingRows: false));
    }

    [Fact]
    public async Task Two_promotes_of_the_same_deployment_at_once_swap_it_once_and_the_loser_says_it_is_promoted()
    {
        using var project = new FaultProject(emulator);
        await project.CreateProductionClusterAsync();
        project.Version(1);
        Expect(await project.StageAsync("twinv1"), null);
        Expect(await project.PromoteAsync("twinv1"), null);
        var outcomes = new List<string>();
        for (var round = 2; round <= 6; round++)
        {
            var id = $"twin{round}";
            project.Version(round);
            Expect(await project.StageAsync(id), null);
            using var start = new Barrier(2);
            var promotes = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                start.SignalAndWait();
                return await project.PromoteAsync(id);
            })).ToList();
            var results = await Task.WhenAll(promotes);

            outcomes.Add($"{id}: {string.Join(" / ", results.Select(r => r.ToString()))}");
            Assert.True(results.Count(r => r.ErrorId is null) == 1, string.Join("\n", outcomes));
            Assert.True(results.Single(r => r.ErrorId is not null).ErrorId == ErrorIds.DeploymentAlreadyPromoted.Id, string.Join("\n", outcomes));
            Assert.Null(await project.ProductionIsAsync(round));
            Assert.Empty(await project.LeftoversAsync(id, trackingRows: false));
            Assert.Equal(DeploymentState.Promoted, (await project.DeploymentAsync(id))?.State);
        }
    }

    private static void Expect(Outcome outcome, string? errorId) =>
        Assert.True(outcome.ErrorId == errorId, $"expected {errorId ?? "success"}, got {outcome}");
}

using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Tests.Unit.Planning;

/// <summary>
/// The planners as the operations call them, from test values: names built from the deploy ID, the change set computed
/// from the project and production.
/// </summary>
internal static class Plans
{
    /// <summary>A stage of <paramref name="project"/> against <paramref name="production"/> (the profile's suffix applied).</summary>
    public static StagePlan Stage(CompiledProject project, ProductionSnapshot production, string deployId, ChangeSetOptions? options,
        IEnumerable<ProductionCluster> productionClusters)
    {
        var names = new StagingNames(DeployId.Parse(deployId), project.Config.GetProfileSettings(project.Profile)?.ProfileSuffix);
        var changes = ChangeDetector.Compute(project.EnsureSucceeded(), production, options ?? ChangeSetOptions.None);
        return StagePlanner.Plan(project, changes, names, productionClusters);
    }

    /// <summary>The promote input of <paramref name="deployment"/> with its names.</summary>
    public static PromoteInput Promote(RecordedDeployment deployment) => new(deployment, new StagingNames(deployment.DeployId));

    /// <summary>The abort plan of <paramref name="deployment"/>.</summary>
    public static AbortPlan Abort(RecordedDeployment deployment, PromoteState state = PromoteState.NotStarted) =>
        AbortPlanner.Plan(deployment, new StagingNames(deployment.DeployId), state);
}

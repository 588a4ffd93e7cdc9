namespace MzDeploy.Engine.Planning;

/// <summary>The stable error IDs planning throws (<see cref="MzDeployException.ErrorId"/>).</summary>
public static class PlanErrors
{
    public const string InvalidDeployId = "InvalidDeployId";
    public const string InvalidRedeploySchema = "InvalidRedeploySchema";
    public const string NewObjectInExistingStableSchema = "NewObjectInExistingStableSchema";
    public const string ClusterNotFound = "ClusterNotFound";
    public const string DeploymentConflict = "DeploymentConflict";
    public const string DeploymentAlreadyPromoted = "DeploymentAlreadyPromoted";
    public const string DeploymentPartiallyPromoted = "DeploymentPartiallyPromoted";
}

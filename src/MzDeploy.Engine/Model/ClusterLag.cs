namespace MzDeploy.Engine.Model;

/// <summary>How much wallclock lag a staging cluster may have and still count as ready.</summary>
public static class ClusterLag
{
    /// <summary>mz-deploy's default allowed lag, in seconds.</summary>
    public const int DefaultAllowedSeconds = 300;
}

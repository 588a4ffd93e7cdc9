namespace MzDeploy.Engine.Model;

/// <summary>
/// What a deployment did to one schema, as recorded in <c>_mz_deploy.tables.deployments.kind</c>:
/// <c>objects</c> (staged and swapped), <c>sinks</c> (sinks only; never swapped), <c>replacement</c> (a stable-API
/// schema whose materialized views are replaced in place), <c>tables</c> (legacy, never written).
/// </summary>
public enum DeploymentKind
{
    Objects,
    Sinks,
    Replacement,
    Tables,
}

internal static class DeploymentKinds
{
    /// <summary>The value stored in the tracking tables.</summary>
    public static string ToTrackingValue(this DeploymentKind kind) => kind switch
    {
        DeploymentKind.Objects => "objects",
        DeploymentKind.Sinks => "sinks",
        DeploymentKind.Replacement => "replacement",
        DeploymentKind.Tables => "tables",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Reads a tracking value; unknown values read as <see cref="DeploymentKind.Objects"/>.</summary>
    public static DeploymentKind FromTrackingValue(string? value) => value switch
    {
        "sinks" => DeploymentKind.Sinks,
        "replacement" => DeploymentKind.Replacement,
        "tables" => DeploymentKind.Tables,
        _ => DeploymentKind.Objects,
    };
}

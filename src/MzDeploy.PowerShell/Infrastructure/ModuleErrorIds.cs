using MzDeploy.Engine.Errors;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// The errors this module raises itself, about how a cmdlet was called rather than about the work (the engine's are in
/// <see cref="ErrorIds"/>). The IDs are stable: scripts and tests match on them.
/// </summary>
internal static class ModuleErrorIds
{
    /// <summary>A cmdlet would prompt for confirmation, but the session cannot answer prompts.</summary>
    public static readonly ErrorDefinition ConfirmationRequired = new("ConfirmationRequired", ErrorKind.InvalidOperation, ErrorScope.Command);

    /// <summary>Two parameters that exclude each other were both given.</summary>
    public static readonly ErrorDefinition RedeployOptionsConflict = new("RedeployOptionsConflict", ErrorKind.InvalidArgument, ErrorScope.Command);

    /// <summary>A -SecretValue entry whose value is not a SecureString (a plain string would sit in the session's history).</summary>
    public static readonly ErrorDefinition SecretValueNotSecure = new("SecretValueNotSecure", ErrorKind.InvalidArgument, ErrorScope.Command);

    /// <summary>A stage plan file that cannot be read, is not a plan, has another format, was edited, or was made for another connection.</summary>
    public static readonly ErrorDefinition PlanFileInvalid = new("PlanFileInvalid", ErrorKind.InvalidData, ErrorScope.Command);

    /// <summary>-PlanPath without -DryRun runs the plan as reviewed: parameters that would plan differently cannot be given with it.</summary>
    public static readonly ErrorDefinition PlanPathConflict = new("PlanPathConflict", ErrorKind.InvalidArgument, ErrorScope.Command);

    public static IReadOnlyList<ErrorDefinition> All { get; } =
        [ConfirmationRequired, RedeployOptionsConflict, SecretValueNotSecure, PlanFileInvalid, PlanPathConflict];
}

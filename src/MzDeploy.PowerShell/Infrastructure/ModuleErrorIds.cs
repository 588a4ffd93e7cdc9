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

    public static IReadOnlyList<ErrorDefinition> All { get; } = [ConfirmationRequired, RedeployOptionsConflict, SecretValueNotSecure];
}

using System.Management.Automation;
using MzDeploy.Engine.Operations;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// Base of every cmdlet that connects to Materialize: the common <c>-Path</c>, <c>-Profile</c> and
/// <c>-Credential</c> parameters and their resolution into a connection target (mz-deploy's rules: parameter,
/// then <c>MZ_DEPLOY_PROFILE</c>, then <c>.mzprofile</c>). The password is never written to any stream.
/// </summary>
public abstract class MzConnectedCmdlet : MzCmdlet
{
    /// <summary>The project folder (for <c>.mzprofile</c>); default: the current location.</summary>
    [Parameter]
    public string? Path { get; set; }

    /// <summary>The connection profile from profiles.toml (or the built-in <c>emulator</c>).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string? Profile { get; set; }

    /// <summary>User and password that replace the profile's.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>The connection for this invocation; terminating error when the profile cannot be resolved.</summary>
    protected ConnectionTarget ResolveConnection() => SandboxResolver.ResolveConnection(this, Profile, ResolvePath(Path), Credential);
}

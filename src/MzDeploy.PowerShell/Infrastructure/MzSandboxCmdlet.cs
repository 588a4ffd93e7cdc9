using System.Management.Automation;
using MzDeploy.Engine.Sandbox;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// Base of the cmdlets that run scratch SQL (unit tests, type checks). They find where in this order: <c>-Profile</c>
/// given runs against that Materialize (mz-deploy's <c>--no-docker</c>); else <c>-Sandbox host:port</c>, a running
/// emulator; else the module's private emulator, started on first need and reused for the rest of the session.
/// Only a <c>-Profile</c> typed on the command counts: <c>MZ_DEPLOY_PROFILE</c> and <c>.mzprofile</c> name where
/// deployments go, not where tests run.
/// </summary>
public abstract class MzSandboxCmdlet : MzConnectedCmdlet
{
    /// <summary>A running emulator to use instead of the private one (<c>host:port</c>).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Sandbox { get; set; }

    /// <summary>Where this invocation's scratch SQL runs; starts the private sandbox when nothing else is named.</summary>
    protected Task<SandboxTarget> ResolveSandboxAsync(CancellationToken cancellationToken) =>
        SandboxResolver.ResolveAsync(this, MyInvocation.BoundParameters.ContainsKey(nameof(Profile)) ? ResolveConnection : null, Sandbox,
            "Sandbox", cancellationToken);
}

using System.Management.Automation;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Project;
using MzDeploy.Engine.Sandbox;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// Where scratch SQL (unit tests, type checks) runs, in the order every sandbox command looks: a <c>-Profile</c> typed on
/// the command (that Materialize: mz-deploy's <c>--no-docker</c>), else <c>-Sandbox host:port</c> (a running emulator),
/// else the module's private emulator, started on first need and reused for the rest of the session. One place, so
/// Build-MzProject (whose -Path binds from the pipeline, unlike the connected cmdlets') and the sandbox cmdlets agree.
/// </summary>
internal static class SandboxResolver
{
    /// <param name="cmdlet">The command asking: its errors and verbose lines.</param>
    /// <param name="typedProfile">The profile's connection when <c>-Profile</c> was typed on the command, else null.</param>
    /// <param name="address">The <c>-Sandbox</c> address, or null.</param>
    /// <param name="label">How the verbose line names the sandbox (<c>Sandbox</c>, <c>Type check sandbox</c>).</param>
    /// <param name="cancellationToken">Stops a sandbox start.</param>
    public static async Task<SandboxTarget> ResolveAsync(MzCmdlet cmdlet, Func<ConnectionTarget>? typedProfile, string? address,
        string label, CancellationToken cancellationToken)
    {
        if (typedProfile is not null)
        {
            var profile = SandboxTarget.ForProfile(typedProfile());
            cmdlet.WriteVerbose($"{label}: {profile.Description}.");
            return profile;
        }

        if (address is not null)
        {
            var external = cmdlet.Invoke(() => SandboxTarget.ForAddress(address), address);
            cmdlet.WriteVerbose($"{label}: {external.Description}.");
            return external;
        }

        var reused = PrivateSandbox.Current;
        var emulator = reused ?? await PrivateSandbox.GetOrStartAsync(SandboxModule.EmulatorAssembly, cancellationToken);
        var target = SandboxTarget.ForEmulator(emulator);
        cmdlet.WriteVerbose(ReferenceEquals(reused, emulator)
            ? $"{label}: {target.Description} (started earlier in this session)."
            : $"{label}: {target.Description}, started in {emulator.StartTime.TotalSeconds:0.00} s over {emulator.DataDirectory}.");
        return target;
    }

    /// <summary>
    /// The connection of <paramref name="profile"/> with <paramref name="credential"/>'s user and password when given (the
    /// password never reaches any stream); a terminating error when the profile cannot be resolved.
    /// </summary>
    public static ConnectionTarget ResolveConnection(MzCmdlet cmdlet, string? profile, string root, PSCredential? credential)
    {
        var given = credential is { } c && c != PSCredential.Empty ? c : null;
        var target = cmdlet.Invoke(() => ConnectionTarget.Resolve(profile, root, ProcessEnvironment.Instance, given?.UserName,
            given is null ? null : new SecretString(given.GetNetworkCredential().Password)), profile);
        cmdlet.WriteVerbose($"Profile '{target.ProfileName}'{(target.EmulatorMode ? " (emulator mode)" : "")}: {target.Description}");
        return target;
    }
}

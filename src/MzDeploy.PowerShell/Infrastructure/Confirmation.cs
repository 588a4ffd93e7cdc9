using System.Management.Automation;
using System.Management.Automation.Host;
using MzDeploy.Engine;
using MzDeploy.Engine.Errors;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// ShouldProcess for cmdlets with <c>ConfirmImpact = High</c>, optionally with a <c>-Force</c> that skips the question (the
/// PowerShell convention, as in <c>Remove-Item -Force</c>), which never hangs: a session that cannot answer (pwsh
/// -NonInteractive, redirected standard input as in CI, a host without a user interface) gets a <c>ConfirmationRequired</c>
/// error naming <c>-Force</c> (when the cmdlet has it) and <c>-Confirm:$false</c> instead of a prompt. Measured in a child pwsh: with -NonInteractive the prompt
/// throws at once; with standard input redirected from a pipe that stays open it waits forever, and from /dev/null it
/// fails with a NullReferenceException; so redirected input is refused before asking. Runs on the pipeline thread.
/// </summary>
internal static class Confirmation
{
    /// <summary>
    /// Whether the cmdlet would ask before acting: <c>-Confirm</c> decides when given; otherwise <c>-Force</c> means no,
    /// and <c>$ConfirmPreference</c> asks at High impact unless it is None. Never under -WhatIf.
    /// </summary>
    public static bool WillAsk(PSCmdlet cmdlet, bool force)
    {
        if (IsWhatIf(cmdlet))
        {
            return false;
        }

        if (Switch(cmdlet, "Confirm") is { } confirm)
        {
            return confirm;
        }

        return !force && Preference(cmdlet) != ConfirmImpact.None;
    }

    /// <summary>
    /// Stops the command with <c>ConfirmationRequired</c> when it would ask and the session cannot answer; call it in
    /// BeginProcessing, so nothing is read or changed first.
    /// </summary>
    public static void EnsureCanAsk(PSCmdlet cmdlet, bool force, string action)
    {
        if (WillAsk(cmdlet, force) && !HostCanAsk(cmdlet))
        {
            cmdlet.ThrowTerminatingError(Required(cmdlet, action, null));
        }
    }

    /// <summary>
    /// <see cref="EnsureCanAsk"/> for a cmdlet with -DryRun: a dry run changes nothing and never asks, so it runs in any
    /// session. Returns a completed task so BeginProcessingAsync can be this one call.
    /// </summary>
    public static Task EnsureCanAskUnlessDryRun(PSCmdlet cmdlet, bool dryRun, bool force, string action)
    {
        if (!dryRun)
        {
            EnsureCanAsk(cmdlet, force, action);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// For cmdlets whose impact asks only when told to: an explicit -Confirm in a session that cannot answer fails at once,
    /// in BeginProcessing, instead of waiting on redirected input. ($ConfirmPreference lowered to their impact fails when
    /// asking, see ShouldProcess.)
    /// </summary>
    public static void EnsureCanAskWhenConfirmBound(PSCmdlet cmdlet, string action)
    {
        if (cmdlet.MyInvocation.BoundParameters.ContainsKey("Confirm"))
        {
            EnsureCanAsk(cmdlet, force: false, action);
        }
    }

    /// <summary>
    /// ShouldProcess with <paramref name="force"/> skipping the question (not -WhatIf, and not an explicit -Confirm).
    /// <paramref name="description"/> is what -WhatIf prints, <paramref name="question"/> what the prompt asks.
    /// </summary>
    public static bool ShouldProcess(PSCmdlet cmdlet, bool force, string action, string description, string question, string caption)
    {
        if (force && !IsWhatIf(cmdlet) && !WillAsk(cmdlet, force))
        {
            return true;
        }

        try
        {
            return cmdlet.ShouldProcess(description, question, caption);
        }
        catch (Exception e) when (e is HostException or PSInvalidOperationException)
        {
            // The host refused to prompt (NonInteractive mode, or no user interface at all).
            cmdlet.ThrowTerminatingError(Required(cmdlet, action, e));
            throw; // unreachable: ThrowTerminatingError always throws
        }
    }

    private static ErrorRecord Required(PSCmdlet cmdlet, string action, Exception? inner)
    {
        var name = cmdlet.MyInvocation.MyCommand.Name;
        var switches = cmdlet.MyInvocation.MyCommand.Parameters.ContainsKey("Force") ? "-Force or -Confirm:$false" : "-Confirm:$false";
        var exception = new MzDeployException(ModuleErrorIds.ConfirmationRequired,
            $"{name} {action} and asks for confirmation first, but this session cannot answer a prompt (non-interactive or "
            + $"redirected input). Pass {switches} to confirm in advance.", null,
            new Advice($"Run {name} with {switches} in scripts and CI; -WhatIf shows what it would do."), inner);
        return ErrorRecords.From(exception);
    }

    /// <summary>
    /// Whether a prompt can be answered. pwsh's console host with redirected standard input reads the answer from it, which
    /// in CI never comes; other hosts (VS Code, embedded runspaces) own their input, and refuse by throwing when they cannot.
    /// </summary>
    private static bool HostCanAsk(PSCmdlet cmdlet) =>
        !(string.Equals(cmdlet.Host?.Name, "ConsoleHost", StringComparison.Ordinal) && Console.IsInputRedirected);

    private static bool IsWhatIf(PSCmdlet cmdlet) =>
        Switch(cmdlet, "WhatIf") ?? LanguagePrimitives.IsTrue(cmdlet.SessionState.PSVariable.GetValue("WhatIfPreference"));

    private static bool? Switch(PSCmdlet cmdlet, string name) =>
        cmdlet.MyInvocation.BoundParameters.TryGetValue(name, out var value) ? LanguagePrimitives.IsTrue(value) : null;

    private static ConfirmImpact Preference(PSCmdlet cmdlet)
    {
        var value = cmdlet.SessionState.PSVariable.GetValue("ConfirmPreference");
        return value is not null && LanguagePrimitives.TryConvertTo<ConfirmImpact>(value, out var impact) ? impact : ConfirmImpact.High;
    }
}

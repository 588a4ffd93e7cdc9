using MzDeploy.Engine.Project;

namespace MzDeploy.PowerShell.Infrastructure.Ci;

/// <summary>
/// Which CI system's output to write, from the process environment (through <see cref="IEnvironment"/>, so tests supply their
/// own) and the user's opt-out. The opt-out wins over detection: the <c>$MzDeployCiOutput</c> preference variable when it is
/// set (<c>$false</c> turns CI output off, <c>$true</c> keeps it on whatever the environment variable says), otherwise the
/// <c>MZ_DEPLOY_CI_OUTPUT</c> environment variable (<c>0</c>, <c>false</c>, <c>off</c> or <c>no</c> turn it off), so a
/// pipeline can turn it off for every step at once and a script for one session.
/// </summary>
internal static class CiDetection
{
    /// <summary>The preference variable that turns CI output off (<c>$MzDeployCiOutput = $false</c>).</summary>
    public const string PreferenceVariable = "MzDeployCiOutput";

    /// <summary>The environment variable that turns CI output off (<c>MZ_DEPLOY_CI_OUTPUT=0</c>).</summary>
    public const string EnvironmentVariable = "MZ_DEPLOY_CI_OUTPUT";

    /// <param name="environment">Where GITHUB_ACTIONS, TF_BUILD and MZ_DEPLOY_CI_OUTPUT are read.</param>
    /// <param name="preference">The value of <c>$MzDeployCiOutput</c>, or null when it is not set.</param>
    public static CiSystem Detect(IEnvironment environment, object? preference)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!Enabled(environment, preference))
        {
            return CiSystem.None;
        }

        // Both runners set these exact values; other spellings are somebody's own variable, not a runner.
        if (string.Equals(environment.GetVariable("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return CiSystem.GitHubActions;
        }

        return string.Equals(environment.GetVariable("TF_BUILD"), "True", StringComparison.OrdinalIgnoreCase)
            ? CiSystem.AzurePipelines
            : CiSystem.None;
    }

    private static bool Enabled(IEnvironment environment, object? preference)
    {
        if (Unwrap(preference) is { } value)
        {
            return value switch
            {
                bool b => b,
                string s => !IsOff(s),
                _ => System.Management.Automation.LanguagePrimitives.IsTrue(value),
            };
        }

        return environment.GetVariable(EnvironmentVariable) is not { } setting || !IsOff(setting);
    }

    private static object? Unwrap(object? value) =>
        value is System.Management.Automation.PSObject wrapped ? wrapped.BaseObject : value;

    private static bool IsOff(string value) =>
        value.Trim().ToLowerInvariant() is "0" or "false" or "off" or "no" or "$false";
}

namespace MzDeploy.Engine.Project;

/// <summary>
/// The process environment as the engine sees it: environment variables and the home directory.
/// Everything that reads <c>MZ_DEPLOY_*</c>, <c>MZ_PROFILE_*</c> or <c>${VAR}</c> goes through this, so tests
/// can supply their own values instead of changing process-wide state.
/// </summary>
public interface IEnvironment
{
    /// <summary>The value of an environment variable, or <c>null</c> when it is not set.</summary>
    string? GetVariable(string name);

    /// <summary>The user's home directory, or <c>null</c> when it cannot be determined.</summary>
    string? HomeDirectory { get; }
}

/// <summary>The real process environment.</summary>
public sealed class ProcessEnvironment : IEnvironment
{
    public static ProcessEnvironment Instance { get; } = new();

    private ProcessEnvironment()
    {
    }

    public string? GetVariable(string name) => Environment.GetEnvironmentVariable(name);

    public string? HomeDirectory
    {
        get
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
            return string.IsNullOrEmpty(home) ? null : home;
        }
    }
}

/// <summary>An environment made of given values; for tests and for callers that build their own.</summary>
internal sealed class MapEnvironment : IEnvironment
{
    private readonly Dictionary<string, string> _variables;

    public MapEnvironment(IEnumerable<KeyValuePair<string, string>>? variables = null, string? homeDirectory = null)
    {
        _variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in variables ?? [])
        {
            _variables[name] = value;
        }

        HomeDirectory = homeDirectory;
    }

    public string? GetVariable(string name) => _variables.TryGetValue(name, out var value) ? value : null;

    public string? HomeDirectory { get; }
}

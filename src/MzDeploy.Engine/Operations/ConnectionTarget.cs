using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Project;

namespace MzDeploy.Engine.Operations;

/// <summary>
/// What a connecting command connects to: the active profile, its settings and the credential override, resolved
/// once. Cmdlets hold this and hand it to Operations; only the engine opens sessions through it (the connection
/// factory stays in Catalog, so the PowerShell layer never sees Catalog). What it shows is safe to log: the
/// password stays inside the factory.
/// </summary>
public sealed class ConnectionTarget
{
    private ConnectionTarget(CatalogConnectionFactory factory) => Factory = factory;

    /// <summary>The profile the settings came from.</summary>
    public string ProfileName => Factory.ProfileName;

    /// <summary><c>host:port</c>, for messages and confirmation prompts.</summary>
    public string Server => Factory.Server;

    /// <summary>The connected user as configured (profile or credential).</summary>
    public string Username => Factory.Username;

    /// <summary>A description safe to log: user, host, port, database, options; the password redacted.</summary>
    public string Description => Factory.Description;

    /// <summary>Whether role checks and role grants are skipped (the built-in emulator profile).</summary>
    public bool EmulatorMode => Factory.EmulatorMode;

    /// <summary>Opens the sessions of an operation.</summary>
    internal CatalogConnectionFactory Factory { get; }

    /// <summary>
    /// The target of the active profile (mz-deploy resolution: <paramref name="profile"/>, then
    /// <c>MZ_DEPLOY_PROFILE</c>, then <c>.mzprofile</c> in <paramref name="projectRoot"/>). A <paramref name="username"/>
    /// / <paramref name="password"/> pair (from a credential) replaces the profile's user and password.
    /// The built-in <c>emulator</c> profile runs in emulator mode (no role checks).
    /// </summary>
    public static ConnectionTarget Resolve(string? profile, string? projectRoot, IEnvironment environment,
        string? username = null, SecretString? password = null)
    {
        var active = ProfileResolver.ResolveActiveProfile(profile, projectRoot, environment);
        var connectionProfile = ProfileCatalog.Load(null, environment).Get(active);
        var settings = ProfileResolver.ResolveConnection(connectionProfile, environment, username, password);
        return new CatalogConnectionFactory(settings, emulatorMode: connectionProfile.IsBuiltIn);
    }

    /// <summary>A target over an existing factory (tests build factories for their own servers and users).</summary>
    public static implicit operator ConnectionTarget(CatalogConnectionFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new ConnectionTarget(factory);
    }
}

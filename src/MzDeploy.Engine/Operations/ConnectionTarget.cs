using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Project;

namespace MzDeploy.Engine.Operations;

/// <summary>Resolves what a connecting command connects to: the active profile, its settings, the credential override.</summary>
public static class ConnectionTarget
{
    /// <summary>
    /// The connection factory for the active profile (mz-deploy resolution: <paramref name="profile"/>, then
    /// <c>MZ_DEPLOY_PROFILE</c>, then <c>.mzprofile</c> in <paramref name="projectRoot"/>). A <paramref name="username"/>
    /// / <paramref name="password"/> pair (from <c>-Credential</c>) replaces the profile's user and password.
    /// The built-in <c>emulator</c> profile runs in emulator mode (no role checks).
    /// </summary>
    public static CatalogConnectionFactory Resolve(string? profile, string? projectRoot, IEnvironment environment,
        string? username = null, SecretString? password = null)
    {
        var active = ProfileResolver.ResolveActiveProfile(profile, projectRoot, environment);
        var connectionProfile = ProfileCatalog.Load(null, environment).Get(active);
        var settings = ProfileResolver.ResolveConnection(connectionProfile, environment, username, password);
        return new CatalogConnectionFactory(settings, emulatorMode: connectionProfile.IsBuiltIn);
    }
}

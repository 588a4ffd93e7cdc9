using System.Text;

namespace MzDeploy.Engine.Project;

/// <summary>Where the active profile name came from.</summary>
public enum ProfileSource
{
    /// <summary>No profile is selected.</summary>
    None,

    /// <summary>The <c>-Profile</c> parameter.</summary>
    Parameter,

    /// <summary>The <c>MZ_DEPLOY_PROFILE</c> environment variable.</summary>
    EnvironmentVariable,

    /// <summary>The project's <c>.mzprofile</c> file.</summary>
    ProjectFile,
}

/// <summary>The active profile name (or none) and where it came from.</summary>
public sealed record ActiveProfile(string? Name, ProfileSource Source)
{
    /// <summary>ErrorId when a command needs a profile and none is selected.</summary>
    public const string NoneSelectedErrorId = "NoProfileSelected";

    /// <summary>No profile selected.</summary>
    public static ActiveProfile None { get; } = new(null, ProfileSource.None);

    /// <summary>Where the name came from, in the user's terms ("the -Profile parameter").</summary>
    public string SourceDescription => Source switch
    {
        ProfileSource.Parameter => "the -Profile parameter",
        ProfileSource.EnvironmentVariable => $"the {ProfileResolver.ProfileVariable} environment variable",
        ProfileSource.ProjectFile => $"the project's {ProfileResolver.ProjectProfileFile} file",
        _ => "nothing",
    };

    /// <summary>The name; <c>NoProfileSelected</c> (with the three ways to select one) when there is none.</summary>
    public string RequireName() => Name ?? throw new MzDeployException(NoneSelectedErrorId, ErrorKind.InvalidArgument,
        $"no profile selected: pass -Profile, set $env:{ProfileResolver.ProfileVariable}, or write a profile name to {ProfileResolver.ProjectProfileFile} in the project folder",
        null,
        $"Use -Profile {ConnectionProfile.EmulatorName} for the local emulator, set $env:{ProfileResolver.ProfileVariable} = '<name>', "
        + $"or run: Set-Content {ProfileResolver.ProjectProfileFile} <name>");
}

/// <summary>Where profiles.toml is looked for.</summary>
public enum ProfilesDirectorySource
{
    /// <summary>Given by the caller (<c>-ProfilesDirectory</c>).</summary>
    Parameter,

    /// <summary>The <c>MZ_DEPLOY_PROFILES_DIR</c> environment variable.</summary>
    EnvironmentVariable,

    /// <summary><c>~/.mz</c>.</summary>
    Home,

    /// <summary>No directory: no parameter, no variable and no home directory.</summary>
    None,
}

/// <summary>The directory that holds profiles.toml, and why it is that one.</summary>
public sealed record ProfilesDirectory(string? Path, ProfilesDirectorySource Source);

/// <summary>
/// mz-deploy's resolution rules: which profiles.toml, which profile, and the connection settings a profile
/// produces (passwords from the environment applied). All environment access goes through <see cref="IEnvironment"/>.
/// </summary>
public static class ProfileResolver
{
    /// <summary>Environment variable naming the active profile.</summary>
    public const string ProfileVariable = "MZ_DEPLOY_PROFILE";

    /// <summary>Environment variable naming the folder that holds profiles.toml.</summary>
    public const string ProfilesDirectoryVariable = "MZ_DEPLOY_PROFILES_DIR";

    /// <summary>Per-checkout default profile file at the project root.</summary>
    public const string ProjectProfileFile = ".mzprofile";

    /// <summary>ErrorId when a <c>${VAR}</c> password names a variable that is not set.</summary>
    public const string PasswordVariableMissingErrorId = "ProfilePasswordVariableNotFound";

    /// <summary>ErrorId when a profile cannot be used for a SQL connection (no host or no user).</summary>
    public const string ProfileIncompleteErrorId = "ProfileIncomplete";

    /// <summary>The explicit directory, else <c>MZ_DEPLOY_PROFILES_DIR</c>, else <c>~/.mz</c>.</summary>
    public static ProfilesDirectory ResolveProfilesDirectory(string? explicitDirectory, IEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return new ProfilesDirectory(Path.GetFullPath(explicitDirectory), ProfilesDirectorySource.Parameter);
        }

        var fromEnvironment = environment.GetVariable(ProfilesDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new ProfilesDirectory(Path.GetFullPath(fromEnvironment), ProfilesDirectorySource.EnvironmentVariable);
        }

        var home = environment.HomeDirectory;
        return string.IsNullOrWhiteSpace(home)
            ? new ProfilesDirectory(null, ProfilesDirectorySource.None)
            : new ProfilesDirectory(Path.Combine(home, ".mz"), ProfilesDirectorySource.Home);
    }

    /// <summary>
    /// The active profile name: <paramref name="explicitProfile"/>, else <c>MZ_DEPLOY_PROFILE</c>, else the first
    /// non-blank line of <c>&lt;projectRoot&gt;/.mzprofile</c> that does not start with <c>#</c>, else none.
    /// Does not check that the profile exists (see <see cref="ProfileCatalog.Get(ActiveProfile)"/>).
    /// </summary>
    public static ActiveProfile ResolveActiveProfile(string? explicitProfile, string? projectRoot, IEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(explicitProfile))
        {
            return new ActiveProfile(explicitProfile.Trim(), ProfileSource.Parameter);
        }

        var fromEnvironment = environment.GetVariable(ProfileVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new ActiveProfile(fromEnvironment.Trim(), ProfileSource.EnvironmentVariable);
        }

        if (projectRoot is not null)
        {
            var file = Path.Combine(projectRoot, ProjectProfileFile);
            if (File.Exists(file))
            {
                foreach (var line in File.ReadLines(file))
                {
                    var name = line.Trim();
                    if (name.Length > 0 && !name.StartsWith('#'))
                    {
                        return new ActiveProfile(name, ProfileSource.ProjectFile);
                    }
                }
            }
        }

        return ActiveProfile.None;
    }

    /// <summary>
    /// <c>MZ_PROFILE_&lt;NAME&gt;_PASSWORD</c> for a profile: the name upper-cased, every character other than
    /// an ASCII letter or digit replaced by <c>_</c> (<c>my-prod</c> → <c>MZ_PROFILE_MY_PROD_PASSWORD</c>).
    /// </summary>
    public static string PasswordOverrideVariable(string profileName)
    {
        var name = new StringBuilder(profileName.Length);
        foreach (var c in profileName)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        return $"MZ_PROFILE_{name}_PASSWORD";
    }

    /// <summary>
    /// The password a profile connects with: <c>MZ_PROFILE_&lt;NAME&gt;_PASSWORD</c> when set, else the
    /// <c>${VAR}</c> variable (error <c>ProfilePasswordVariableNotFound</c> when it is not set), else the literal
    /// from the file, else <c>null</c>.
    /// </summary>
    public static SecretString? ResolvePassword(ConnectionProfile profile, IEnvironment environment)
    {
        var overrideValue = environment.GetVariable(PasswordOverrideVariable(profile.Name));
        if (overrideValue is not null)
        {
            return new SecretString(overrideValue);
        }

        if (profile.PasswordVariable is { } variable)
        {
            var value = environment.GetVariable(variable);
            if (value is null)
            {
                throw new MzDeployException(PasswordVariableMissingErrorId, ErrorKind.InvalidArgument,
                    $"environment variable '{variable}' not found for profile '{profile.Name}'",
                    profile.Name,
                    $"Set $env:{variable} (or $env:{PasswordOverrideVariable(profile.Name)}) to the password, or pass -Credential.");
            }

            return new SecretString(value);
        }

        return profile.Password;
    }

    /// <summary>
    /// Connection settings for <paramref name="profile"/>. <paramref name="username"/> and
    /// <paramref name="password"/> (from <c>-Credential</c>) replace the profile's; otherwise the password
    /// comes from <see cref="ResolvePassword"/>. Errors: <c>ProfileIncomplete</c> when the profile has no SQL host
    /// or no user, <c>ProfilePasswordVariableNotFound</c> for an unset <c>${VAR}</c>.
    /// </summary>
    public static ConnectionSettings ResolveConnection(ConnectionProfile profile, IEnvironment environment,
        string? username = null, SecretString? password = null, string? database = null, string? applicationName = null)
    {
        if (profile.Host is null)
        {
            throw new MzDeployException(ProfileIncompleteErrorId, ErrorKind.InvalidArgument,
                $"profile '{profile.Name}' has no SQL host configured (it only sets http_host)",
                profile.Name,
                $"Add host = \"<sql host>\" to [{profile.Name}] in {profile.SourcePath ?? ProfileCatalog.FileName}.");
        }

        var user = username ?? profile.Username ?? throw new MzDeployException(ProfileIncompleteErrorId, ErrorKind.InvalidArgument,
            $"profile '{profile.Name}' has no username configured",
            profile.Name,
            $"Add username = \"<user>\" to [{profile.Name}] in {profile.SourcePath ?? ProfileCatalog.FileName}, or pass -Credential.");

        // A -Credential replaces user and password together: the profile's password belongs to the profile's user.
        var secret = username is not null || password is not null ? password : ResolvePassword(profile, environment);

        return new ConnectionSettings
        {
            ProfileName = profile.Name,
            Host = profile.Host,
            Port = profile.Port,
            Username = user,
            Password = secret,
            Database = database ?? ConnectionSettings.DefaultDatabase,
            Options = profile.Options,
            SslMode = profile.SslMode,
            SslRootCert = profile.SslRootCert,
            ApplicationName = applicationName ?? ConnectionSettings.DefaultApplicationName,
        };
    }
}

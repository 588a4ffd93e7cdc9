using System.Text;
using MzDeploy.Engine.Errors;

namespace MzDeploy.Engine.Project;

/// <summary>Where the active profile name came from.</summary>
public enum ProfileSource
{
    /// <summary>No profile is selected.</summary>
    None,

    /// <summary>Given to the command.</summary>
    Parameter,

    /// <summary>The <c>MZ_DEPLOY_PROFILE</c> environment variable.</summary>
    EnvironmentVariable,

    /// <summary>The project's <c>.mzprofile</c> file.</summary>
    ProjectFile,
}

/// <summary>The active profile name (or none) and where it came from.</summary>
public sealed record ActiveProfile(string? Name, ProfileSource Source)
{
    /// <summary>No profile selected.</summary>
    public static ActiveProfile None { get; } = new(null, ProfileSource.None);

    /// <summary>Where the name came from, in the user's terms ("the profile given to the command").</summary>
    public string SourceDescription => Source switch
    {
        ProfileSource.Parameter => "the profile given to the command",
        ProfileSource.EnvironmentVariable => $"the {ProfileResolver.ProfileVariable} environment variable",
        ProfileSource.ProjectFile => $"the project's {ProfileResolver.ProjectProfileFile} file",
        _ => "nothing",
    };

    /// <summary>The name; <c>NoProfileSelected</c> (with the three ways to select one) when there is none.</summary>
    public string RequireName() => Name ?? throw new MzDeployException(ErrorIds.NoProfileSelected,
        $"no profile selected: none was given to the command, {ProfileResolver.ProfileVariable} is not set, and the project folder has no {ProfileResolver.ProjectProfileFile} file",
        null,
        new SelectProfile());
}

/// <summary>Where profiles.toml is looked for.</summary>
public enum ProfilesDirectorySource
{
    /// <summary>Given by the caller.</summary>
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
                throw new MzDeployException(ErrorIds.ProfilePasswordVariableNotFound,
                    $"environment variable '{variable}' not found for profile '{profile.Name}'",
                    profile.Name,
                    new SetPasswordVariable(profile.Name, variable, PasswordOverrideVariable(profile.Name)));
            }

            return new SecretString(value);
        }

        return profile.Password;
    }

    /// <summary>
    /// Connection settings for <paramref name="profile"/>. <paramref name="username"/> and
    /// <paramref name="password"/> (credentials given to the command) replace the profile's; otherwise the password
    /// comes from <see cref="ResolvePassword"/>. Errors: <c>ProfileIncomplete</c> when the profile has no SQL host
    /// or no user, <c>ProfilePasswordVariableNotFound</c> for an unset <c>${VAR}</c>.
    /// </summary>
    public static ConnectionSettings ResolveConnection(ConnectionProfile profile, IEnvironment environment,
        string? username = null, SecretString? password = null, string? database = null, string? applicationName = null)
    {
        if (profile.Host is null)
        {
            throw new MzDeployException(ErrorIds.ProfileIncomplete,
                $"profile '{profile.Name}' has no SQL host configured (it only sets http_host)",
                profile.Name,
                new Advice($"Add host = \"<sql host>\" to [{profile.Name}] in {profile.SourcePath ?? ProfileCatalog.FileName}."));
        }

        var user = username ?? profile.Username ?? throw new MzDeployException(ErrorIds.ProfileIncomplete,
            $"profile '{profile.Name}' has no username configured",
            profile.Name,
            new AddProfileUsername(profile.Name, profile.SourcePath ?? ProfileCatalog.FileName));

        // Credentials given to the command replace user and password together: the profile's password belongs to the profile's user.
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

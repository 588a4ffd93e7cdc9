using System.Globalization;
using System.Text.RegularExpressions;
using MzDeploy.Engine.Errors;
using Tomlyn.Model;

namespace MzDeploy.Engine.Project;

/// <summary>
/// The connection profiles available: every table of <c>profiles.toml</c> plus the built-in <c>emulator</c>
/// profile (which a user <c>[emulator]</c> table replaces). A missing profiles.toml is not an error: only the
/// built-in profile exists then.
/// </summary>
public sealed partial class ProfileCatalog
{
    /// <summary>The file name inside the profiles directory.</summary>
    public const string FileName = "profiles.toml";

    private static readonly string[] ProfileKeys =
        ["host", "port", "username", "user", "password", "options", "sslmode", "sslrootcert", "http_host"];

    private readonly Dictionary<string, ConnectionProfile> _profiles;

    private ProfileCatalog(ProfilesDirectory directory, string? filePath, bool fileExists, Dictionary<string, ConnectionProfile> profiles)
    {
        Directory = directory;
        FilePath = filePath;
        FileExists = fileExists;
        _profiles = profiles;
        Profiles = profiles.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Where profiles.toml was looked for, and why there.</summary>
    public ProfilesDirectory Directory { get; }

    /// <summary>Full path of profiles.toml, or <c>null</c> when no directory could be determined.</summary>
    public string? FilePath { get; }

    /// <summary>Whether profiles.toml exists (when not, only the built-in profile is available).</summary>
    public bool FileExists { get; }

    /// <summary>All profiles, ordered by name.</summary>
    public IReadOnlyList<ConnectionProfile> Profiles { get; }

    public bool TryGet(string name, out ConnectionProfile profile) => _profiles.TryGetValue(name, out profile!);

    /// <summary>The profile called <paramref name="name"/>; <c>ProfileNotFound</c> when there is none.</summary>
    public ConnectionProfile Get(string name) => Get(name, null);

    /// <summary>
    /// The active profile: <c>NoProfileSelected</c> when none is selected, <c>ProfileNotFound</c> (naming where
    /// the name came from) when it is unknown.
    /// </summary>
    public ConnectionProfile Get(ActiveProfile active) => Get(active.RequireName(), active);

    private ConnectionProfile Get(string name, ActiveProfile? active)
    {
        if (_profiles.TryGetValue(name, out var profile))
        {
            return profile;
        }

        var from = active is null ? "" : $" (selected by {active.SourceDescription})";
        var where = FilePath is null
            ? "no profiles.toml could be located"
            : FileExists ? $"not found in {FilePath}" : $"not found: {FilePath} does not exist";
        var known = string.Join(", ", Profiles.Select(p => p.Name));
        var message = FilePath is null
            ? $"profile '{name}'{from} not found in configuration: {where}. Known profiles: {known}."
            : $"profile '{name}'{from} {where}. Known profiles: {known}.";
        Remedy action = FilePath is null
            ? new Advice($"Set MZ_DEPLOY_PROFILES_DIR (or HOME) to the folder holding profiles.toml, or use one of: {known}.")
            : new Advice($"Add a [{name}] table to {FilePath}, or use one of: {known}.");
        throw new MzDeployException(ErrorIds.ProfileNotFound, message, name, action);
    }

    /// <summary>
    /// Loads profiles.toml from <paramref name="profilesDirectory"/> (or, when <c>null</c>,
    /// <c>MZ_DEPLOY_PROFILES_DIR</c>, then <c>~/.mz</c>). Throws <see cref="ConfigFileException"/>
    /// <c>ProfilesConfigInvalid</c> listing every problem in the file.
    /// </summary>
    public static ProfileCatalog Load(string? profilesDirectory, IEnvironment environment)
    {
        var directory = ProfileResolver.ResolveProfilesDirectory(profilesDirectory, environment);
        var profiles = new Dictionary<string, ConnectionProfile>(StringComparer.Ordinal)
        {
            [ConnectionProfile.EmulatorName] = ConnectionProfile.BuiltInEmulator,
        };
        if (directory.Path is null)
        {
            return new ProfileCatalog(directory, null, false, profiles);
        }

        var filePath = Path.Combine(directory.Path, FileName);
        if (!File.Exists(filePath))
        {
            return new ProfileCatalog(directory, filePath, false, profiles);
        }

        string text;
        try
        {
            text = File.ReadAllText(filePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MzDeployException(ErrorIds.ProfilesConfigInvalid,
                $"profiles.toml at {filePath} cannot be read: {e.Message}", filePath,
                new Advice("Check the file's permissions and run the command again."), e);
        }

        foreach (var profile in Parse(text, filePath))
        {
            profiles[profile.Name] = profile;
        }

        return new ProfileCatalog(directory, filePath, true, profiles);
    }

    private static List<ConnectionProfile> Parse(string text, string filePath)
    {
        var fixAction = new Advice($"Fix {filePath} and run the command again.");
        var document = TomlDocument.Parse(text, filePath, filePath, ErrorIds.ProfilesConfigInvalid, fixAction);
        var errors = new List<Diagnostic>();
        var profiles = new List<ConnectionProfile>();

        void Error(string message, SourceLocation? location) =>
            errors.Add(new Diagnostic(ErrorIds.ProfilesConfigInvalid.Id, message, location, filePath, fixAction));

        foreach (var (name, value) in document.Root)
        {
            var location = document.LocationOf(document.Root, name);
            if (value is not TomlTable table)
            {
                Error($"unexpected top-level key '{name}': profiles.toml holds one [<name>] table per profile", location);
                continue;
            }

            if (name.Trim().Length == 0)
            {
                Error("a profile name must not be empty", location);
                continue;
            }

            var before = errors.Count;
            var profile = ReadProfile(document, name, table, location, filePath, Error);
            if (errors.Count == before && profile is not null)
            {
                profiles.Add(profile);
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigFileException(ErrorIds.ProfilesConfigInvalid, filePath, errors, fixAction);
        }

        return profiles;
    }

    private static ConnectionProfile? ReadProfile(TomlDocument document, string name, TomlTable table,
        SourceLocation? tableLocation, string filePath, Action<string, SourceLocation?> error)
    {
        var where = $"profile '{name}'";
        string? host = null, username = null, passwordVariable = null, sslRootCert = null, httpHost = null;
        SecretString? password = null;
        var port = ConnectionProfile.DefaultPort;
        SslMode? sslMode = null;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);

        string? ReadString(string key, object? value, SourceLocation? location)
        {
            if (value is string s && s.Length > 0)
            {
                return s;
            }

            error($"'{key}' in {where} must be a non-empty string, not {TomlDocument.TypeName(value)}", location);
            return null;
        }

        foreach (var (key, value) in table)
        {
            var location = document.LocationOf(table, key) ?? tableLocation;
            switch (key)
            {
                case "host":
                    host = ReadString(key, value, location);
                    break;
                case "port":
                    if (value is long number && number is > 0 and <= 65535)
                    {
                        port = (int)number;
                    }
                    else
                    {
                        error($"'port' in {where} must be an integer from 1 to 65535, not {Describe(value)}", location);
                    }

                    break;
                case "username" or "user":
                    if (username is not null)
                    {
                        error($"{where} sets both 'username' and 'user'; keep one", location);
                        break;
                    }

                    username = ReadString(key, value, location);
                    break;
                case "password":
                    if (value is not string secret)
                    {
                        // Never echo the value: it may be a password typed without quotes.
                        error($"'password' in {where} must be a string, not {TomlDocument.TypeName(value)}", location);
                        break;
                    }

                    var variable = EnvironmentReference().Match(secret);
                    if (variable.Success)
                    {
                        passwordVariable = variable.Groups[1].Value;
                    }
                    else
                    {
                        password = new SecretString(secret);
                    }

                    break;
                case "options":
                    if (value is not TomlTable optionTable)
                    {
                        error($"'options' in {where} must be a table of session variables, not {TomlDocument.TypeName(value)}", location);
                        break;
                    }

                    foreach (var (optionKey, optionValue) in optionTable)
                    {
                        var optionLocation = document.LocationOf(optionTable, optionKey) ?? location;
                        if (!OptionKey().IsMatch(optionKey))
                        {
                            error($"invalid option key '{optionKey}' in {where}: option keys must be identifiers (letters, digits, underscores)", optionLocation);
                            continue;
                        }

                        var text = optionValue switch
                        {
                            string s => s,
                            long l => l.ToString(CultureInfo.InvariantCulture),
                            double d => d.ToString(CultureInfo.InvariantCulture),
                            bool b => b ? "true" : "false",
                            _ => null,
                        };
                        if (text is null)
                        {
                            error($"option '{optionKey}' in {where} must be a string, number or boolean, not {TomlDocument.TypeName(optionValue)}", optionLocation);
                            continue;
                        }

                        options[optionKey] = text;
                    }

                    break;
                case "sslmode":
                    if (value is string modeText && ConnectionProfile.TryParseSslMode(modeText, out var mode))
                    {
                        sslMode = mode;
                    }
                    else
                    {
                        error($"'sslmode' in {where} must be one of disable, prefer, require, verify-ca, verify-full, not {Describe(value)}", location);
                    }

                    break;
                case "sslrootcert":
                    sslRootCert = ReadString(key, value, location);
                    break;
                case "http_host":
                    httpHost = ReadString(key, value, location);
                    break;
                default:
                    error(Spelling.UnknownKey(key, where, ProfileKeys), location);
                    break;
            }
        }

        if (host is null && httpHost is null && !table.ContainsKey("host") && !table.ContainsKey("http_host"))
        {
            error($"profile '{name}' has no host configured: add host = \"<sql host>\" (or http_host) to [{name}]", tableLocation);
            return null;
        }

        return new ConnectionProfile(name, host, port, username, password, passwordVariable, options, sslMode,
            sslRootCert, httpHost, isBuiltIn: false, sourcePath: filePath);
    }

    private static string Describe(object? value) => value is string s ? $"'{s}'" : value is long l ? l.ToString(CultureInfo.InvariantCulture) : TomlDocument.TypeName(value);

    /// <summary>The whole value is <c>${VAR}</c>: the password is read from that environment variable.</summary>
    [GeneratedRegex(@"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")]
    private static partial Regex EnvironmentReference();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex OptionKey();
}

using System.Text.RegularExpressions;
using MzDeploy.Engine.Errors;
using Tomlyn.Model;

namespace MzDeploy.Engine.Project;

/// <summary>
/// A project's <c>project.toml</c>: the Materialize version, external dependencies and per-profile settings
/// (top-level tables named after profiles). Connection details are not here; they live in profiles.toml.
/// Unknown keys are errors, so a typo never silently changes a deployment.
/// </summary>
public sealed partial class ProjectConfig
{
    /// <summary>The file name, at the project root.</summary>
    public const string FileName = "project.toml";

    private static readonly string[] TopLevelKeys = ["mz_version", "dependencies"];
    private static readonly string[] ProfileKeys = ["profile_suffix", "emulator", "variables", "security"];
    private static readonly string[] SecurityKeys = ["aws_profile"];

    private ProjectConfig(string projectRoot, string? mzVersion, IReadOnlyList<ExternalDependency> dependencies,
        IReadOnlyDictionary<string, ProfileSettings> profiles)
    {
        ProjectRoot = projectRoot;
        MzVersion = mzVersion;
        Dependencies = dependencies;
        Profiles = profiles;
    }

    /// <summary>Full path of the project folder.</summary>
    public string ProjectRoot { get; }

    /// <summary><c>mz_version</c>: the Materialize version for local tooling (<c>"cloud"</c> = latest), or <c>null</c>.</summary>
    public string? MzVersion { get; }

    /// <summary><c>dependencies</c>, in file order, validated and free of duplicates.</summary>
    public IReadOnlyList<ExternalDependency> Dependencies { get; }

    /// <summary>Per-profile sections by profile name (ordinal, case-sensitive).</summary>
    public IReadOnlyDictionary<string, ProfileSettings> Profiles { get; }

    /// <summary>The section for <paramref name="profile"/>, or <c>null</c> when there is none (or no profile).</summary>
    public ProfileSettings? GetProfileSettings(string? profile) =>
        profile is not null && Profiles.TryGetValue(profile, out var settings) ? settings : null;

    /// <summary>The SQL variables defined for <paramref name="profile"/>; empty when it has none.</summary>
    public IReadOnlyDictionary<string, string> GetVariables(string? profile) =>
        GetProfileSettings(profile)?.Variables ?? EmptyVariables;

    /// <summary>
    /// Whether deployments with <paramref name="profile"/> run in emulator mode (RBAC-less: no roles, grants or
    /// membership checks). An explicit <c>emulator</c> key in the profile's section wins; otherwise only the
    /// built-in <c>emulator</c> connection profile is in emulator mode.
    /// </summary>
    public bool IsEmulator(ConnectionProfile profile) =>
        GetProfileSettings(profile.Name)?.Emulator ?? profile.IsBuiltIn;

    /// <summary>
    /// Reads <c>&lt;projectRoot&gt;/project.toml</c>. Throws <see cref="MzDeployException"/> <c>ProjectNotFound</c>
    /// when the file is missing and <see cref="ConfigFileException"/> <c>ProjectConfigInvalid</c> listing every
    /// problem (syntax with line and column, unknown keys, wrong types, bad dependencies).
    /// </summary>
    public static ProjectConfig Load(string projectRoot)
    {
        var root = Path.GetFullPath(projectRoot);
        var path = Path.Combine(root, FileName);
        if (!File.Exists(path))
        {
            throw new MzDeployException(ErrorIds.ProjectNotFound,
                $"project.toml not found at {path}",
                path,
                new OpenOrCreateProject());
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MzDeployException(ErrorIds.ProjectConfigInvalid,
                $"project.toml at {path} cannot be read: {e.Message}", path,
                new Advice("Check the file's permissions and run the command again."), e);
        }

        return Parse(text, root);
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyVariables =
        new Dictionary<string, string>(StringComparer.Ordinal);

    private static readonly Advice FixAction = new("Fix project.toml and run the command again.");

    private static ProjectConfig Parse(string text, string root)
    {
        var fullPath = Path.Combine(root, FileName);
        var document = TomlDocument.Parse(text, FileName, fullPath, ErrorIds.ProjectConfigInvalid, FixAction);
        var errors = new List<Diagnostic>();

        void Error(string message, SourceLocation? location) =>
            errors.Add(new Diagnostic(ErrorIds.ProjectConfigInvalid.Id, message, location, FileName, FixAction));

        string? mzVersion = null;
        var dependencies = new List<ExternalDependency>();
        var profiles = new Dictionary<string, ProfileSettings>(StringComparer.Ordinal);

        foreach (var (key, value) in document.Root)
        {
            var location = document.LocationOf(document.Root, key);
            switch (key)
            {
                case "mz_version":
                    if (value is string version && version.Length > 0)
                    {
                        mzVersion = version;
                    }
                    else
                    {
                        Error($"'mz_version' must be a non-empty string such as \"cloud\", not {TomlDocument.TypeName(value)}", location);
                    }

                    break;
                case "dependencies":
                    ReadDependencies(value, location, text, dependencies, Error);
                    break;
                case "profile" when value is string:
                    Error("unknown key 'profile': the active profile is no longer stored in project.toml; "
                        + "give the profile to the command, set MZ_DEPLOY_PROFILE, or write the name to .mzprofile", location);
                    break;
                default:
                    if (value is TomlTable section)
                    {
                        var settings = ReadProfile(document, key, section, location, Error);
                        if (settings is not null)
                        {
                            profiles[key] = settings;
                        }
                    }
                    else
                    {
                        Error(Spelling.UnknownKey(key, "project.toml", TopLevelKeys)
                            + "; per-profile settings go in a [<profile>] table", location);
                    }

                    break;
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigFileException(ErrorIds.ProjectConfigInvalid, fullPath, errors, FixAction);
        }

        return new ProjectConfig(root, mzVersion, dependencies, profiles);
    }

    private static void ReadDependencies(object? value, SourceLocation? location, string text, List<ExternalDependency> dependencies,
        Action<string, SourceLocation?> error)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var searchFrom = (location?.Line ?? 1) - 1;
        if (value is not TomlArray array)
        {
            error($"'dependencies' must be an array of strings such as [\"db.schema.object\"], not {TomlDocument.TypeName(value)}", location);
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not string entry)
            {
                error($"dependency #{i + 1} must be a string, not {TomlDocument.TypeName(array[i])}", location);
                continue;
            }

            if (!ExternalDependency.TryParse(entry, out var dependency) || dependency is null)
            {
                error($"invalid dependency '{entry}': expected a fully qualified 'database.schema.object' name "
                    + $"(two-part names only for the system schemas {string.Join(", ", ExternalDependency.SystemSchemas.Order(StringComparer.Ordinal))})",
                    location);
                continue;
            }

            if (!seen.Add(dependency.QualifiedName))
            {
                error($"duplicate dependency '{entry}'", location);
                continue;
            }

            var line = EntryLine(lines, searchFrom, entry);
            searchFrom = (line ?? searchFrom + 1) - 1;
            dependencies.Add(dependency with { Line = line ?? location?.Line });
        }
    }

    /// <summary>
    /// The 1-based line at or after <paramref name="from"/> (0-based) holding <paramref name="entry"/> as a TOML string
    /// (Tomlyn's model keeps no position per array element); null when it is written with escapes and cannot be found.
    /// </summary>
    private static int? EntryLine(string[] lines, int from, string entry)
    {
        string[] forms = [$"\"{entry}\"", $"'{entry}'"];
        for (var i = Math.Max(0, from); i < lines.Length; i++)
        {
            if (forms.Any(f => lines[i].Contains(f, StringComparison.Ordinal)))
            {
                return i + 1;
            }
        }

        return null;
    }

    private static ProfileSettings? ReadProfile(TomlDocument document, string name, TomlTable section,
        SourceLocation? sectionLocation, Action<string, SourceLocation?> error)
    {
        var where = $"[{name}]";
        var errorCount = 0;
        void Error(string message, SourceLocation? location)
        {
            errorCount++;
            error(message, location);
        }

        string? suffix = null;
        bool? emulator = null;
        string? awsProfile = null;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var (key, value) in section)
        {
            var location = document.LocationOf(section, key) ?? sectionLocation;
            switch (key)
            {
                case "profile_suffix":
                    if (value is string s && s.Length > 0)
                    {
                        suffix = s;
                    }
                    else
                    {
                        Error($"'profile_suffix' in {where} must be a non-empty string such as \"_{name}\", not {TomlDocument.TypeName(value)}", location);
                    }

                    break;
                case "emulator":
                    if (value is bool b)
                    {
                        emulator = b;
                    }
                    else
                    {
                        Error($"'emulator' in {where} must be true or false, not {TomlDocument.TypeName(value)}", location);
                    }

                    break;
                case "variables":
                    if (value is not TomlTable table)
                    {
                        Error($"'variables' in {where} must be a table ([{name}.variables]), not {TomlDocument.TypeName(value)}", location);
                        break;
                    }

                    foreach (var (variable, variableValue) in table)
                    {
                        var variableLocation = document.LocationOf(table, variable) ?? location;
                        if (!VariableName().IsMatch(variable))
                        {
                            Error($"invalid variable name '{variable}' in [{name}.variables]: use letters, digits and underscores, not starting with a digit", variableLocation);
                        }
                        else if (variableValue is not string text)
                        {
                            Error($"variable '{variable}' in [{name}.variables] must be a string, not {TomlDocument.TypeName(variableValue)}; quote it", variableLocation);
                        }
                        else
                        {
                            variables[variable] = text;
                        }
                    }

                    break;
                case "security":
                    if (value is not TomlTable security)
                    {
                        Error($"'security' in {where} must be a table ([{name}.security]), not {TomlDocument.TypeName(value)}", location);
                        break;
                    }

                    foreach (var (securityKey, securityValue) in security)
                    {
                        var securityLocation = document.LocationOf(security, securityKey) ?? location;
                        if (securityKey != "aws_profile")
                        {
                            Error(Spelling.UnknownKey(securityKey, $"[{name}.security]", SecurityKeys), securityLocation);
                        }
                        else if (securityValue is string aws && aws.Length > 0)
                        {
                            awsProfile = aws;
                        }
                        else
                        {
                            Error($"'aws_profile' in [{name}.security] must be a non-empty string, not {TomlDocument.TypeName(securityValue)}", securityLocation);
                        }
                    }

                    break;
                default:
                    var message = Spelling.UnknownKey(key, where, ProfileKeys);
                    if (name == "profiles" && value is TomlTable)
                    {
                        // The newest mz-deploy docs show [profiles.staging]; the tool itself reads [staging].
                        message += $"; per-profile sections are top-level tables: write [{key}] instead of [profiles.{key}]";
                    }

                    Error(message, location);
                    break;
            }
        }

        return errorCount > 0 ? null : new ProfileSettings(name, suffix, emulator, variables, awsProfile);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}

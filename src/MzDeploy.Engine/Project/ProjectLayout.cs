using System.Text;
using MzDeploy.Engine.Errors;

namespace MzDeploy.Engine.Project;

/// <summary>
/// The SQL files of a project mapped to what they define, and which of them count for the active profile.
/// Built by <see cref="Discover"/>, which never stops at the first problem: every misplaced file, bad name
/// or override conflict is a <see cref="Diagnostic"/>.
/// </summary>
internal sealed class ProjectLayout
{
    public const string ModelsFolder = "models";
    public const string ClustersFolder = "clusters";
    public const string RolesFolder = "roles";
    public const string NetworkPoliciesFolder = "network-policies";

    /// <summary>Longest name Materialize accepts, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 255;

    private const string SqlExtension = ".sql";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private ProjectLayout(string root, string? activeProfile, IReadOnlyList<ProjectFile> files,
        IReadOnlyList<ProjectFile> allFiles, IReadOnlyList<Diagnostic> diagnostics)
    {
        Root = root;
        ActiveProfile = activeProfile;
        Files = files;
        AllFiles = allFiles;
        Diagnostics = diagnostics;
    }

    /// <summary>Full path of the project folder.</summary>
    public string Root { get; }

    /// <summary>The profile the selection was made for, or <c>null</c>.</summary>
    public string? ActiveProfile { get; }

    /// <summary>
    /// The files that count for <see cref="ActiveProfile"/>: per name, the variant for the active profile if
    /// there is one, else the base file. Variants for other profiles are left out. Ordered by relative path.
    /// </summary>
    public IReadOnlyList<ProjectFile> Files { get; }

    /// <summary>Every file, all profile variants included (the compiler checks them all). Ordered by relative path.</summary>
    public IReadOnlyList<ProjectFile> AllFiles { get; }

    /// <summary>Every problem found; empty when the layout is valid.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public bool HasErrors => Diagnostics.Count > 0;

    /// <summary>
    /// Finds the SQL files under <c>models/</c>, <c>clusters/</c>, <c>roles/</c> and <c>network-policies/</c>,
    /// maps each to what it defines and selects the ones for <paramref name="activeProfile"/>. Files that are
    /// not <c>.sql</c> are ignored, as are folders whose names start with a dot. Throws <c>ProjectNotFound</c>
    /// only when <paramref name="projectRoot"/> does not exist.
    /// </summary>
    public static ProjectLayout Discover(string projectRoot, string? activeProfile)
    {
        var root = Path.GetFullPath(projectRoot);
        if (!Directory.Exists(root))
        {
            throw new MzDeployException(ErrorIds.ProjectNotFound,
                $"project folder not found at {root}", root, new PointAtProject());
        }

        var scan = new Scan(root);
        scan.Run();

        var all = scan.Files.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList();
        var diagnostics = scan.Diagnostics;
        var selected = Select(all, activeProfile, diagnostics);
        return new ProjectLayout(root, activeProfile, selected, all,
            diagnostics.OrderBy(d => d.Location?.File ?? d.Target, StringComparer.Ordinal).ToList());
    }

    private static List<ProjectFile> Select(List<ProjectFile> all, string? activeProfile, List<Diagnostic> diagnostics)
    {
        var chosen = new HashSet<ProjectFile>();
        foreach (var group in all.GroupBy(f => (f.Kind, f.QualifiedName)))
        {
            // Two files for the same name and profile: report once per (name, profile), keep the first.
            foreach (var sameProfile in group.GroupBy(f => f.Profile ?? ""))
            {
                var files = sameProfile.ToList();
                if (files.Count > 1)
                {
                    var scope = files[0].Profile is null ? "" : $" for profile '{files[0].Profile}'";
                    diagnostics.Add(new Diagnostic(ErrorIds.ConflictingProjectFiles.Id,
                        $"{string.Join(" and ", files.Select(f => f.RelativePath))} {(files.Count == 2 ? "both" : "all")} define {Describe(files[0])}{scope}; keep one",
                        new SourceLocation(files[1].RelativePath, 1, 1), files[1].RelativePath,
                        new Advice("Rename or delete all but one of these files.")));
                }
            }

            var variant = activeProfile is null ? null : group.FirstOrDefault(f => f.Profile == activeProfile);
            var pick = variant ?? group.FirstOrDefault(f => f.Profile is null);
            if (pick is not null)
            {
                chosen.Add(pick);
            }
        }

        return all.Where(chosen.Contains).ToList();
    }

    private static string Describe(ProjectFile file) => file.Kind switch
    {
        ProjectFileKind.Object => $"object {file.QualifiedName}",
        ProjectFileKind.SchemaModifier => $"schema {file.QualifiedName}",
        ProjectFileKind.DatabaseModifier => $"database {file.QualifiedName}",
        ProjectFileKind.Cluster => $"cluster {file.Name}",
        ProjectFileKind.Role => $"role {file.Name}",
        _ => $"network policy {file.Name}",
    };

    /// <summary>Why <paramref name="name"/> cannot be a name, or <c>null</c> when it can.</summary>
    internal static string? NameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "a name must not be empty";
        }

        if (name.Contains('.'))
        {
            return "a name must not contain '.' (it would read as a qualified name)";
        }

        if (name.Any(char.IsControl))
        {
            return "a name must not contain control characters";
        }

        if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
        {
            return "a name must not start or end with white space";
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
        {
            return $"a name must be at most {MaxNameBytes} bytes long";
        }

        return null;
    }

    /// <summary>One walk over the project folders; collects files and diagnostics.</summary>
    private sealed class Scan(string root)
    {
        public List<ProjectFile> Files { get; } = [];

        public List<Diagnostic> Diagnostics { get; } = [];

        /// <summary>Files found and named, in scan order, read once the walk is done.</summary>
        private readonly List<(string Relative, string FullPath, ProjectFileKind Kind, string[] Names, string? Profile)> _pending = [];

        public void Run()
        {
            Walk();
            ReadPending();
        }

        private void Walk()
        {
            ScanModels();
            ScanGlobal(ClustersFolder, ProjectFileKind.Cluster);
            ScanGlobal(RolesFolder, ProjectFileKind.Role);
            ScanGlobal(NetworkPoliciesFolder, ProjectFileKind.NetworkPolicy);

            foreach (var file in SqlLikeFiles(root))
            {
                Unexpected(file, "SQL files at the project root are not part of the project; "
                    + "put objects under models/<database>/<schema>/, or move scripts to another folder");
            }

            // Older mz-deploy versions used network_policies/; say so instead of ignoring the files.
            var legacy = Path.Combine(root, "network_policies");
            if (Directory.Exists(legacy))
            {
                foreach (var file in SqlLikeFilesDeep(legacy))
                {
                    Unexpected(file, $"network policies belong in {NetworkPoliciesFolder}/ (with a hyphen); rename the folder");
                }
            }
        }

        private void ScanModels()
        {
            var models = Path.Combine(root, ModelsFolder);
            if (!Directory.Exists(models))
            {
                return;
            }

            foreach (var file in SqlLikeFiles(models))
            {
                Add(file, ProjectFileKind.DatabaseModifier, []);
            }

            foreach (var database in Subfolders(models))
            {
                var databaseName = Path.GetFileName(database);
                foreach (var file in SqlLikeFiles(database))
                {
                    Add(file, ProjectFileKind.SchemaModifier, [databaseName]);
                }

                foreach (var schema in Subfolders(database))
                {
                    var schemaName = Path.GetFileName(schema);
                    foreach (var file in SqlLikeFiles(schema))
                    {
                        Add(file, ProjectFileKind.Object, [databaseName, schemaName]);
                    }

                    foreach (var nested in Subfolders(schema))
                    {
                        foreach (var file in SqlLikeFilesDeep(nested))
                        {
                            Unexpected(file, "model files go exactly in models/<database>/<schema>/<object>.sql; "
                                + "folders inside a schema folder are not allowed");
                        }
                    }
                }
            }
        }

        private void ScanGlobal(string folder, ProjectFileKind kind)
        {
            var path = Path.Combine(root, folder);
            if (!Directory.Exists(path))
            {
                return;
            }

            foreach (var file in SqlLikeFiles(path))
            {
                Add(file, kind, []);
            }

            foreach (var nested in Subfolders(path))
            {
                foreach (var file in SqlLikeFilesDeep(nested))
                {
                    Unexpected(file, $"files in {folder}/ go directly in the folder ({folder}/<name>.sql), not in sub-folders");
                }
            }
        }

        private void Add(string fullPath, ProjectFileKind kind, string[] folders)
        {
            var relative = Relative(fullPath);
            var fileName = Path.GetFileName(fullPath);
            if (!fileName.EndsWith(SqlExtension, StringComparison.Ordinal))
            {
                Diagnostics.Add(new Diagnostic(ErrorIds.UnexpectedSqlFile.Id,
                    $"{relative} is not picked up: SQL files must end in lower-case '{SqlExtension}'",
                    new SourceLocation(relative, 1, 1), relative, new Advice($"Rename the file to end in '{SqlExtension}'.")));
                return;
            }

            var variant = ProfileVariant.Parse(fileName[..^SqlExtension.Length]);
            var segments = folders.Append(variant.Name).ToArray();
            var problems = segments
                .Select(s => (Segment: s, Problem: NameProblem(s)))
                .Where(p => p.Problem is not null)
                .Select(p => $"'{p.Segment}': {p.Problem}")
                .ToList();
            if (variant.Profile is not null && NameProblem(variant.Profile) is { } profileProblem)
            {
                problems.Add($"profile '{variant.Profile}': {profileProblem}");
            }

            if (problems.Count > 0)
            {
                Diagnostics.Add(new Diagnostic(ErrorIds.InvalidObjectName.Id,
                    $"{relative} does not map to a valid name: {string.Join("; ", problems)}",
                    new SourceLocation(relative, 1, 1), relative, new Advice("Rename the file or folder.")));
                return;
            }

            var normalized = segments.Select(s => s.Normalize(NormalizationForm.FormC)).ToArray();
            var profile = variant.Profile?.Normalize(NormalizationForm.FormC);
            _pending.Add((relative, fullPath, kind, normalized, profile));
        }

        /// <summary>Reads the files found, in parallel (reading dominates discovery); results keep scan order.</summary>
        private void ReadPending()
        {
            var texts = new (string? Text, Diagnostic? Problem)[_pending.Count];
            Parallel.For(0, _pending.Count, i => texts[i] = Read(_pending[i].Relative, _pending[i].FullPath));
            for (var i = 0; i < _pending.Count; i++)
            {
                var (relative, fullPath, kind, normalized, profile) = _pending[i];
                if (texts[i].Text is not { } text)
                {
                    Diagnostics.Add(texts[i].Problem!);
                    continue;
                }

                var file = kind switch
                {
                    ProjectFileKind.Object => new ProjectFile(relative, fullPath, kind, normalized[0], normalized[1], normalized[2], profile, text),
                    ProjectFileKind.SchemaModifier => new ProjectFile(relative, fullPath, kind, normalized[0], normalized[1], normalized[1], profile, text),
                    ProjectFileKind.DatabaseModifier => new ProjectFile(relative, fullPath, kind, normalized[0], null, normalized[0], profile, text),
                    _ => new ProjectFile(relative, fullPath, kind, null, null, normalized[0], profile, text),
                };
                Files.Add(file);
            }
        }

        private static (string? Text, Diagnostic? Problem) Read(string relative, string fullPath)
        {
            string text;
            try
            {
                text = StrictUtf8.GetString(File.ReadAllBytes(fullPath));
            }
            catch (DecoderFallbackException)
            {
                return (null, new Diagnostic(ErrorIds.ProjectFileUnreadable.Id, $"{relative} is not valid UTF-8",
                    new SourceLocation(relative, 1, 1), relative, new Advice("Save the file as UTF-8.")));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (null, new Diagnostic(ErrorIds.ProjectFileUnreadable.Id, $"{relative} cannot be read: {e.Message}",
                    new SourceLocation(relative, 1, 1), relative, new Advice("Check the file's permissions.")));
            }

            return (text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text, null);
        }

        private void Unexpected(string fullPath, string why)
        {
            var relative = Relative(fullPath);
            Diagnostics.Add(new Diagnostic(ErrorIds.UnexpectedSqlFile.Id, $"{relative} is not where SQL files belong: {why}",
                new SourceLocation(relative, 1, 1), relative, new Advice("Move or delete the file.")));
        }

        private string Relative(string fullPath) => Path.GetRelativePath(root, fullPath).Replace('\\', '/');

        private static readonly EnumerationOptions Flat = new() { AttributesToSkip = 0, IgnoreInaccessible = true };

        private static readonly EnumerationOptions Deep = new()
        {
            AttributesToSkip = 0,
            IgnoreInaccessible = true,
            RecurseSubdirectories = true,
            MaxRecursionDepth = 32,
        };

        /// <summary>Files directly in <paramref name="folder"/> whose extension is .sql in any letter case.</summary>
        private static IEnumerable<string> SqlLikeFiles(string folder) =>
            Directory.EnumerateFiles(folder, "*", Flat).Where(IsSqlLike).Order(StringComparer.Ordinal);

        /// <summary>Every .sql-like file under <paramref name="folder"/>, except in dot-folders.</summary>
        private IEnumerable<string> SqlLikeFilesDeep(string folder) =>
            Directory.EnumerateFiles(folder, "*", Deep)
                .Where(IsSqlLike)
                .Where(f => !Relative(f).Split('/').SkipLast(1).Any(s => s.StartsWith('.')))
                .Order(StringComparer.Ordinal);

        private static IEnumerable<string> Subfolders(string folder) =>
            Directory.EnumerateDirectories(folder, "*", Flat)
                .Where(d => !Path.GetFileName(d).StartsWith('.'))
                .Order(StringComparer.Ordinal);

        private static bool IsSqlLike(string path) => Path.GetExtension(path).Equals(SqlExtension, StringComparison.OrdinalIgnoreCase);
    }
}

using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Project;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Compile;

/// <summary>
/// One object of a compiled project: its primary statement, the companion statements of its file
/// (indexes, comments, grants, constraints, unit tests), what it reads, and its content hash.
/// </summary>
public sealed class CompiledObject
{
    internal CompiledObject(ObjectId id, ObjectKind kind, SourceFile source, SqlStatement statement)
    {
        Id = id;
        Kind = kind;
        Source = source;
        Statement = statement;
    }

    public ObjectId Id { get; }

    public ObjectKind Kind { get; }

    /// <summary>The file, after variable substitution, with its parse.</summary>
    public SourceFile Source { get; }

    /// <summary>Where the primary statement starts (for a constraint's companion: where the constraint statement starts).</summary>
    public SourceLocation Location => DeclaredAt ?? Source.Locate(Statement.Span);

    /// <summary>Set for objects generated from another statement: a constraint's companion materialized view.</summary>
    internal SourceLocation? DeclaredAt { get; init; }

    /// <summary>The primary <c>CREATE</c> statement.</summary>
    public SqlStatement Statement { get; }

    /// <summary>The cluster named by the primary statement's <c>IN CLUSTER</c>, if any.</summary>
    public string? Cluster => Statement.InCluster?.Value;

    /// <summary><c>CREATE INDEX</c> statements on this object, in file order.</summary>
    public IReadOnlyList<SqlStatement> Indexes { get; internal set; } = Array.Empty<SqlStatement>();

    /// <summary>Comments, grants and constraints of this object, in file order.</summary>
    public IReadOnlyList<SqlStatement> Companions { get; internal set; } = Array.Empty<SqlStatement>();

    /// <summary>The constraints declared on this object (enforced and not), in file order.</summary>
    public IReadOnlyList<CompiledConstraint> Constraints { get; internal set; } = Array.Empty<CompiledConstraint>();

    /// <summary>
    /// For the companion materialized view of an enforced constraint, that constraint; null for objects the
    /// project's files define. A companion's <see cref="Source"/> is its constrained object's file with the
    /// generated statement as its text.
    /// </summary>
    public CompiledConstraint? Constraint { get; internal init; }

    /// <summary><c>EXECUTE UNIT TEST</c> statements of this object's file.</summary>
    public IReadOnlyList<SqlStatement> UnitTests { get; internal set; } = Array.Empty<SqlStatement>();

    /// <summary>Project objects and declared external dependencies this object reads, ordinal order.</summary>
    public IReadOnlyList<ObjectId> DependsOn { get; internal set; } = Array.Empty<ObjectId>();

    /// <summary>
    /// What each object reference in the file's statements resolved to, by the span of the name, so
    /// later stages can rewrite references (to staging names) without resolving again.
    /// </summary>
    public IReadOnlyDictionary<TextSpan, ObjectId> ResolvedReferences { get; internal set; } =
        new Dictionary<TextSpan, ObjectId>();

    /// <summary><c>sha256:…</c> of the canonical, fully qualified statement and its sorted indexes.</summary>
    public string Hash { get; internal set; } = string.Empty;

    public override string ToString() => Id.ToString();
}

/// <summary>
/// A project file that defines something other than a schema object: a cluster, role, network policy,
/// or a schema or database modifier.
/// </summary>
public sealed record CompiledDefinition(ProjectFileKind Kind, string Name, SourceFile Source, IReadOnlyList<SqlStatement> Statements);

/// <summary>The result of compiling a project. Planning and the cmdlets read it; nothing mutates it.</summary>
public sealed class CompiledProject
{
    internal CompiledProject(string root, string? profile, ProjectConfig config, IReadOnlyList<CompiledObject> objects,
        IReadOnlyList<CompiledDefinition> definitions, DependencyGraph graph, IReadOnlyList<Diagnostic> diagnostics,
        IReadOnlyList<Diagnostic>? warnings = null)
    {
        Warnings = warnings ?? Array.Empty<Diagnostic>();
        Root = root;
        Profile = profile;
        Config = config;
        Objects = objects;
        Definitions = definitions;
        Graph = graph;
        Diagnostics = diagnostics;
    }

    public string Root { get; }

    public string? Profile { get; }

    /// <summary>The active profile's suffix on production database and cluster names (<c>profile_suffix</c>), or null.</summary>
    public string? ProfileSuffix => Config.GetProfileSettings(Profile)?.ProfileSuffix;

    public ProjectConfig Config { get; }

    /// <summary>Every object, dependencies before dependents (objects on a cycle come last).</summary>
    public IReadOnlyList<CompiledObject> Objects { get; }

    public IReadOnlyList<CompiledDefinition> Definitions { get; }

    public DependencyGraph Graph { get; }

    /// <summary>Every error found; the project is deployable only when this is empty.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Problems that do not stop the project from deploying (severity <see cref="DiagnosticSeverity.Warning"/>), in file order.</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; }

    public bool Succeeded => Diagnostics.Count == 0;

    /// <summary>Throws <see cref="CompilationFailedException"/> unless the project compiled cleanly.</summary>
    public CompiledProject EnsureSucceeded() =>
        Succeeded ? this : throw new CompilationFailedException(Diagnostics);
}

/// <summary>A project file after variable substitution, with its parse and a way to locate spans.</summary>
public sealed class SourceFile
{
    // Offsets in Text → offsets in the file as written; null when they are the same (no variable substituted).
    private readonly PositionMap? _positions;
    private LineMap? _writtenLines;

    internal SourceFile(ProjectFile file, string text, SqlScript script, PositionMap? positions = null)
    {
        File = file;
        Text = text;
        Script = script;
        _positions = positions is { IsIdentity: false } ? positions : null;
    }

    public ProjectFile File { get; }

    /// <summary>The text that was parsed: the file's text with the profile's variables substituted.</summary>
    public string Text { get; }

    public SqlScript Script { get; }

    /// <summary>
    /// Where <paramref name="span"/> (in <see cref="Text"/>) starts in the file as the user wrote it: a substituted
    /// variable's value may be longer or shorter than its <c>:name</c>, so columns after it map back through the
    /// substitution (a position inside the value is the variable's).
    /// </summary>
    public SourceLocation Locate(TextSpan span)
    {
        if (_positions is null)
        {
            return Script.Lines.ToLocation(File.RelativePath, span.Start);
        }

        _writtenLines ??= new LineMap(File.Text);
        return _writtenLines.ToLocation(File.RelativePath, _positions.ToOriginal(span.Start));
    }

    public override string ToString() => File.RelativePath;
}

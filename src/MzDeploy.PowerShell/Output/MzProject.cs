namespace MzDeploy;

/// <summary>Kinds of objects a project defines under <c>models/</c>.</summary>
public enum MzObjectKind
{
    View,
    MaterializedView,
    Table,
    TableFromSource,
    Source,
    Sink,
    Connection,
    Secret,
}

/// <summary>One output column of a project object, as a type check found it (name, type as the catalog prints it, nullability).</summary>
public sealed class MzColumn
{
    internal MzColumn(string name, string type, bool nullable)
    {
        Name = name;
        Type = type;
        Nullable = nullable;
    }

    public string Name { get; }

    public string Type { get; }

    public bool Nullable { get; }

    public override string ToString() => $"{Name} {Type}{(Nullable ? "" : " NOT NULL")}";
}

/// <summary>One object of a compiled project, as <c>Build-MzProject</c> reports it.</summary>
public sealed class MzProjectObject
{
    internal MzProjectObject(string database, string schema, string name, MzObjectKind kind, string? cluster,
        string file, int line, IReadOnlyList<string> dependsOn, string hash, IReadOnlyList<string> constraints, string? constraintOf,
        IReadOnlyList<MzColumn>? columns = null)
    {
        Columns = columns ?? [];
        Constraints = constraints;
        ConstraintOf = constraintOf;
        Database = database;
        Schema = schema;
        Name = name;
        Kind = kind;
        Cluster = cluster;
        File = file;
        Line = line;
        DependsOn = dependsOn;
        Hash = hash;
    }

    public string Database { get; }
    public string Schema { get; }
    public string Name { get; }

    /// <summary><c>database.schema.name</c>.</summary>
    public string FullName => $"{Database}.{Schema}.{Name}";

    public MzObjectKind Kind { get; }

    /// <summary>The cluster named by the object's <c>IN CLUSTER</c>, if any.</summary>
    public string? Cluster { get; }

    /// <summary>Path of the defining file, relative to the project folder.</summary>
    public string File { get; }

    public int Line { get; }

    /// <summary>Fully qualified names of the objects this one reads (project objects and external dependencies).</summary>
    public IReadOnlyList<string> DependsOn { get; }

    /// <summary><c>sha256:…</c> of the canonical statement plus its indexes; formatting and comments do not change it.</summary>
    public string Hash { get; }

    /// <summary>
    /// The constraints declared on this object, one line each: <c>PRIMARY KEY orders_id_pk (id)</c>, or with
    /// <c>NOT ENFORCED</c> for metadata-only ones (those reach no database and change no hash).
    /// </summary>
    public IReadOnlyList<string> Constraints { get; }

    /// <summary>
    /// For the companion materialized view of an enforced constraint (it returns the rows that violate the
    /// constraint): the full name of the constrained object; null for objects defined by their own file.
    /// </summary>
    public string? ConstraintOf { get; }

    /// <summary>
    /// The object's output columns in order, filled by <c>Build-MzProject -TypeCheck</c> for the objects it could create;
    /// empty otherwise.
    /// </summary>
    public IReadOnlyList<MzColumn> Columns { get; }

    public override string ToString() => FullName;
}

/// <summary>One problem found by <c>Build-MzProject</c>; also the target object of its error record.</summary>
public sealed class MzCompileError
{
    internal MzCompileError(string errorId, string message, string? file, int line, int column, string? target,
        string? recommendedAction)
    {
        ErrorId = errorId;
        Message = message;
        File = file;
        Line = line;
        Column = column;
        Target = target;
        RecommendedAction = recommendedAction;
    }

    public string ErrorId { get; }
    public string Message { get; }

    /// <summary>Path relative to the project folder, or null for project-wide problems.</summary>
    public string? File { get; }

    public int Line { get; }
    public int Column { get; }

    /// <summary>The object the problem is about, when there is one.</summary>
    public string? Target { get; }

    public string? RecommendedAction { get; }

    public override string ToString() => File is null ? Message : $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>The result of compiling a project: its objects in deployment (topological) order.</summary>
public sealed class MzProject
{
    internal MzProject(string path, string? profile, IReadOnlyList<MzProjectObject> objects,
        IReadOnlyList<MzCompileError> errors)
    {
        Path = path;
        Profile = profile;
        Objects = objects;
        Errors = errors;
    }

    /// <summary>The project folder.</summary>
    public string Path { get; }

    /// <summary>The active profile (variables and file overrides), or null when none was selected.</summary>
    public string? Profile { get; }

    /// <summary>Objects in topological order: every object comes after the objects it reads.</summary>
    public IReadOnlyList<MzProjectObject> Objects { get; }

    /// <summary>Every problem found. Empty when the project compiled.</summary>
    public IReadOnlyList<MzCompileError> Errors { get; }

    public override string ToString() => Path;
}

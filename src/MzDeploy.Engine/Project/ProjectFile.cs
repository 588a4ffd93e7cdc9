namespace MzDeploy.Engine.Project;

/// <summary>What a project file defines, from where it sits in the project.</summary>
public enum ProjectFileKind
{
    /// <summary><c>models/&lt;db&gt;/&lt;schema&gt;/&lt;object&gt;.sql</c>: one schema-scoped object.</summary>
    Object,

    /// <summary><c>models/&lt;db&gt;/&lt;schema&gt;.sql</c>: schema-level settings (comments, grants, <c>SET api</c>).</summary>
    SchemaModifier,

    /// <summary><c>models/&lt;db&gt;.sql</c>: database-level settings (comments, grants, default privileges).</summary>
    DatabaseModifier,

    /// <summary><c>clusters/&lt;name&gt;.sql</c>.</summary>
    Cluster,

    /// <summary><c>roles/&lt;name&gt;.sql</c>.</summary>
    Role,

    /// <summary><c>network-policies/&lt;name&gt;.sql</c>.</summary>
    NetworkPolicy,
}

/// <summary>
/// One SQL file of a project with the name its path gives it. Names are folder and file names exactly as
/// written (case-sensitive, Unicode NFC): <c>models/Sales/public/orders.sql</c> defines <c>Sales.public.orders</c>,
/// which SQL must quote as <c>"Sales"</c>.
/// </summary>
public sealed class ProjectFile
{
    public ProjectFile(string relativePath, string fullPath, ProjectFileKind kind, string? database, string? schema,
        string name, string? profile, string text)
    {
        RelativePath = relativePath;
        FullPath = fullPath;
        Kind = kind;
        Database = database;
        Schema = schema;
        Name = name;
        Profile = profile;
        Text = text;
    }

    /// <summary>Path relative to the project root with forward slashes (<c>models/materialize/public/orders.sql</c>).</summary>
    public string RelativePath { get; }

    public string FullPath { get; }

    public ProjectFileKind Kind { get; }

    /// <summary>The database, for objects and modifiers; <c>null</c> for clusters, roles and network policies.</summary>
    public string? Database { get; }

    /// <summary>The schema, for objects and schema modifiers; otherwise <c>null</c>.</summary>
    public string? Schema { get; }

    /// <summary>
    /// The name the file defines: the object name; the schema name for a schema modifier; the database name
    /// for a database modifier; the cluster, role or network policy name.
    /// </summary>
    public string Name { get; }

    /// <summary>The profile a <c>name#profile.sql</c> file is for, or <c>null</c> for a base file.</summary>
    public string? Profile { get; }

    /// <summary>The file's text, read once as UTF-8.</summary>
    public string Text { get; }

    /// <summary><c>db.schema.object</c>, <c>db.schema</c>, <c>db</c> or the global name, by kind.</summary>
    public string QualifiedName => Kind switch
    {
        ProjectFileKind.Object => $"{Database}.{Schema}.{Name}",
        ProjectFileKind.SchemaModifier => $"{Database}.{Schema}",
        _ => Name,
    };

    /// <summary>Whether this file overrides its base file for one profile.</summary>
    public bool IsProfileVariant => Profile is not null;

    public override string ToString() => RelativePath;
}

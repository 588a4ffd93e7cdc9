namespace MzDeploy;

/// <summary>What Remove-MzObject dropped (or, with -DryRun, would drop), and what became of the project file that defines it.</summary>
public sealed class MzObjectRemoval
{
    internal MzObjectRemoval(string type, string name, string statement, bool dropped, string? projectFile, bool fileRemoved)
    {
        Type = type;
        Name = name;
        Statement = statement;
        Dropped = dropped;
        ProjectFile = projectFile;
        FileRemoved = fileRemoved;
    }

    /// <summary>Cluster, Connection, NetworkPolicy, Role, Secret, Source or Table.</summary>
    public string Type { get; }

    /// <summary>The production name: a cluster's, role's or network policy's, or <c>database.schema.name</c>.</summary>
    public string Name { get; }

    /// <summary>The exact DROP (never with CASCADE).</summary>
    public string Statement { get; }

    /// <summary>True once the object is dropped; false for -DryRun.</summary>
    public bool Dropped { get; }

    /// <summary>The project file that defines the object (relative to the project folder), or null when none does.</summary>
    public string? ProjectFile { get; }

    /// <summary>True when that file was removed (only with -RemoveFile).</summary>
    public bool FileRemoved { get; }

    public override string ToString() => $"{Type} {Name}";
}

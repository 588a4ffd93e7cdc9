namespace MzDeploy.Engine.Project;

/// <summary>
/// The settings project.toml holds for one profile: the top-level table <c>[&lt;profile&gt;]</c> with its
/// <c>variables</c> and <c>security</c> sub-tables.
/// </summary>
public sealed class ProfileSettings
{
    public ProfileSettings(string name, string? profileSuffix, bool? emulator,
        IReadOnlyDictionary<string, string> variables, string? awsProfile)
    {
        Name = name;
        ProfileSuffix = profileSuffix;
        Emulator = emulator;
        Variables = variables;
        AwsProfile = awsProfile;
    }

    /// <summary>The profile name (the table name).</summary>
    public string Name { get; }

    /// <summary>Appended to every database and cluster name (<c>"_staging"</c>), or <c>null</c>.</summary>
    public string? ProfileSuffix { get; }

    /// <summary>The <c>emulator</c> key as written, or <c>null</c> when the section does not set it.</summary>
    public bool? Emulator { get; }

    /// <summary>psql-style variables (<c>:name</c>) for this profile, ordinal keys.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary><c>[&lt;profile&gt;.security] aws_profile</c>: the AWS profile for <c>aws_secret()</c>, or <c>null</c>.</summary>
    public string? AwsProfile { get; }

    public override string ToString() => $"[{Name}]";
}

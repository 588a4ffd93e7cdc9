using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Planning.DevOverlay;

/// <summary>
/// The names of one developer's overlay (mz-deploy <c>dev</c>): each project database with overlaid objects gets an
/// overlay database <c>&lt;database&gt;__&lt;profile&gt;</c>, holding the overlaid objects under their own schema and
/// name; everything else keeps its production name (the profile suffix on project databases).
/// </summary>
internal sealed class DevOverlayNames
{
    /// <summary>Between a project database and the profile in an overlay database's name.</summary>
    public const string Separator = "__";

    /// <param name="profile">The connection profile: the developer's identity in overlay names and the manifest.</param>
    /// <param name="profileSuffix">The profile's <c>profile_suffix</c> for production names, or null.</param>
    public DevOverlayNames(string profile, string? profileSuffix)
    {
        ArgumentException.ThrowIfNullOrEmpty(profile);
        Profile = profile;
        ProfileSuffix = string.IsNullOrEmpty(profileSuffix) ? null : profileSuffix;
    }

    public string Profile { get; }

    public string? ProfileSuffix { get; }

    /// <summary><c>&lt;project database&gt;__&lt;profile&gt;</c>.</summary>
    public string OverlayDatabase(string projectDatabase) => projectDatabase + Separator + Profile;

    /// <summary>Where an overlaid project object is created.</summary>
    public ObjectId Overlay(ObjectId projectObject) => projectObject with { Database = OverlayDatabase(projectObject.Database) };

    /// <summary>The production name of a project object (what clean objects are read as).</summary>
    public ObjectId Production(ObjectId projectObject) => projectObject with { Database = projectObject.Database + ProfileSuffix };

    /// <summary>
    /// The project's identity in the manifest: the name of its folder (mz-deploy's rule). Null for a folder without a name
    /// (a file system root).
    /// </summary>
    public static string? ProjectName(string projectRoot)
    {
        ArgumentNullException.ThrowIfNull(projectRoot);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(projectRoot)));
        return string.IsNullOrEmpty(name) || name == "." ? null : name;
    }
}

namespace MzDeploy.Engine.Project;

/// <summary>
/// A file stem split into the name it defines and the profile it is for: <c>orders#staging</c> →
/// (<c>orders</c>, <c>staging</c>). The split is on the last <c>#</c>; when either side of it is empty the whole
/// stem is the name and the file is for every profile (<c>#x</c>, <c>x#</c>).
/// </summary>
/// <param name="Name">The object (or cluster, role, …) name.</param>
/// <param name="Profile">The profile the file overrides the name for, or <c>null</c> for the base file.</param>
internal sealed record ProfileVariant(string Name, string? Profile)
{
    /// <summary>The separator between name and profile in a file stem.</summary>
    public const char Separator = '#';

    public static ProfileVariant Parse(string stem)
    {
        var index = stem.LastIndexOf(Separator);
        if (index <= 0 || index == stem.Length - 1)
        {
            return new ProfileVariant(stem, null);
        }

        return new ProfileVariant(stem[..index], stem[(index + 1)..]);
    }

    /// <summary>Whether the file is used when <paramref name="activeProfile"/> is active (base files always match).</summary>
    public bool AppliesTo(string? activeProfile) => Profile is null || string.Equals(Profile, activeProfile, StringComparison.Ordinal);

    public override string ToString() => Profile is null ? Name : $"{Name}{Separator}{Profile}";
}

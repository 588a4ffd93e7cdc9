using System.Management.Automation;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// -DeployId values as PowerShell matches names: wildcard patterns (case-insensitive), and literal IDs whose absence
/// is reported as a not-found error, as Get-Item does.
/// </summary>
internal sealed class DeployIdFilter
{
    private readonly IReadOnlyList<WildcardPattern> _patterns;
    private readonly IReadOnlyList<string> _literals;

    private DeployIdFilter(IReadOnlyList<WildcardPattern> patterns, IReadOnlyList<string> literals)
    {
        _patterns = patterns;
        _literals = literals;
    }

    public static DeployIdFilter From(string[]? values)
    {
        var given = values ?? [];
        return new DeployIdFilter(
            given.Select(v => WildcardPattern.Get(v, WildcardOptions.IgnoreCase)).ToList(),
            given.Where(v => !WildcardPattern.ContainsWildcardCharacters(v)).ToList());
    }

    /// <summary>Null (everything) when no values were given.</summary>
    public Func<string, bool>? Match => _patterns.Count == 0 ? null : id => _patterns.Any(p => p.IsMatch(id));

    /// <summary>Literal IDs that matched none of <paramref name="found"/>.</summary>
    public IEnumerable<string> LiteralsNotIn(IEnumerable<string> found)
    {
        var set = found.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return _literals.Where(l => !set.Contains(l));
    }
}

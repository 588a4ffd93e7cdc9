namespace MzDeploy;

/// <summary>
/// What a promote drops, said as what it is. The swap exchanges names, so the staging-suffixed schema or cluster the
/// promote drops holds the previous production version; "dropped schema db.s_id" alone reads as if the new version
/// had gone.
/// </summary>
internal static class PreviousVersion
{
    /// <summary>
    /// Each of <paramref name="dropped"/> (<c>schema db.s_id</c>, <c>cluster c_id</c>) as
    /// <c>schema db.s (previous production version, named db.s_id by the swap)</c>; one no swap explains stays as it is.
    /// </summary>
    public static string[] Describe(IEnumerable<MzStagingName> schemas, IEnumerable<MzStagingName> clusters, IEnumerable<string> dropped)
    {
        var production = schemas.Select(s => ($"schema {s.Staging}", $"schema {s.Production}"))
            .Concat(clusters.Select(c => ($"cluster {c.Staging}", $"cluster {c.Production}")))
            .GroupBy(p => p.Item1, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Item2, StringComparer.Ordinal);
        return dropped.Select(d => production.TryGetValue(d, out var was)
                ? $"{was} (previous production version, named {d[(d.IndexOf(' ', StringComparison.Ordinal) + 1)..]} by the swap)"
                : d)
            .ToArray();
    }
}

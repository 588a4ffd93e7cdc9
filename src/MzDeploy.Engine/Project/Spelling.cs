namespace MzDeploy.Engine.Project;

/// <summary>"Did you mean …?" for unknown configuration keys: most unknown keys are typos.</summary>
internal static class Spelling
{
    /// <summary>The closest of <paramref name="candidates"/> to <paramref name="word"/>, when it is close enough.</summary>
    public static string? Suggest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        // Allow one edit for short words, two for longer ones; beyond that it is a different word.
        var limit = word.Length <= 4 ? 1 : 2;
        return bestDistance <= limit ? best : null;
    }

    /// <summary>"unknown key 'x' in [t]; did you mean 'y'? Allowed keys: …"</summary>
    public static string UnknownKey(string key, string where, IReadOnlyCollection<string> allowed)
    {
        var suggestion = Suggest(key, allowed);
        var hint = suggestion is null ? "" : $"; did you mean '{suggestion}'?";
        return $"unknown key '{key}' in {where}{hint} (allowed: {string.Join(", ", allowed)})";
    }

    private static int Distance(string a, string b)
    {
        // Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}

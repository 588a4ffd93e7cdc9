using System.Text.RegularExpressions;

namespace MzDeploy.Engine.Sql;

/// <summary>
/// Pragmas a project file declares in comment lines before its first statement, as mz-deploy reads them:
/// <c>-- PRAGMA WARN_ON_MISSING_VARIABLES;</c> (case-insensitive, the <c>;</c> optional).
/// </summary>
internal static partial class FilePragmas
{
    /// <summary>
    /// Whether <paramref name="text"/> declares <c>WARN_ON_MISSING_VARIABLES</c>: its undefined <c>:name</c>
    /// references stay as written and are warnings, not errors. mz-deploy's projects use it where a
    /// <c>:name</c> is SQL, not a variable, such as the list slice <c>arr[:b]</c>.
    /// </summary>
    public static bool WarnsOnMissingVariables(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var comment in LeadingLineComments(text))
        {
            if (WarnOnMissingVariables().IsMatch(comment))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The bodies of the <c>--</c> comments before the first statement (block comments are skipped).</summary>
    private static IEnumerable<string> LeadingLineComments(string text)
    {
        var pos = 0;
        while (pos < text.Length)
        {
            if (char.IsWhiteSpace(text[pos]) || text[pos] == '\uFEFF')
            {
                pos++;
            }
            else if (string.CompareOrdinal(text, pos, "--", 0, 2) == 0)
            {
                var end = text.IndexOfAny(['\n', '\r'], pos);
                end = end < 0 ? text.Length : end;
                yield return text[(pos + 2)..end];
                pos = end;
            }
            else if (string.CompareOrdinal(text, pos, "/*", 0, 2) == 0)
            {
                pos = SkipBlockComment(text, pos);
            }
            else
            {
                yield break; // the first statement
            }
        }
    }

    private static int SkipBlockComment(string text, int pos)
    {
        var depth = 0;
        while (pos < text.Length)
        {
            if (string.CompareOrdinal(text, pos, "/*", 0, 2) == 0)
            {
                depth++;
                pos += 2;
            }
            else if (string.CompareOrdinal(text, pos, "*/", 0, 2) == 0)
            {
                pos += 2;
                if (--depth == 0)
                {
                    return pos;
                }
            }
            else
            {
                pos++;
            }
        }

        return pos;
    }

    [GeneratedRegex(@"^\s*pragma\s+warn_on_missing_variables\s*;?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WarnOnMissingVariables();
}

using System.Text;
using System.Text.RegularExpressions;

namespace MzDeploy.Emulator;

/// <summary>
/// A PostgreSQL ILIKE pattern compiled for matching in the proxy: <c>%</c> any run of characters,
/// <c>_</c> any one character, <c>\</c> escapes the next character, case-insensitive, the whole text.
/// </summary>
internal sealed class LikePattern
{
    private readonly Regex _regex;

    public LikePattern(string pattern)
    {
        Pattern = pattern;
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '%':
                    regex.Append(".*");
                    break;
                case '_':
                    regex.Append('.');
                    break;
                // PostgreSQL refuses a trailing escape character; here it stands for itself.
                case '\\' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        regex.Append(@"\z");
        // NonBacktracking: linear in the statement's length whatever the pattern ('%a%b%c%' on a long script).
        _regex = new Regex(regex.ToString(),
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking);
    }

    public string Pattern { get; }

    public bool IsMatch(string text) => _regex.IsMatch(text);
}

using System.Text;

namespace MzDeploy.Engine.Sql;

/// <summary>
/// THE way to write an identifier into SQL. Every identifier MzDeploy generates goes through here, so
/// names with capitals, quotes, dots or keyword spellings can never break or inject into a statement.
/// </summary>
internal static class SqlIdentifier
{
    /// <summary>Always double-quotes <paramref name="name"/>, doubling embedded <c>"</c>.</summary>
    public static string Quote(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// Leaves <paramref name="name"/> bare when it reads back as itself unquoted: lower-case
    /// <c>[a-z_][a-z0-9_$]*</c> and not a reserved word (<see cref="SqlKeywords.Reserved"/>); otherwise quotes it.
    /// </summary>
    public static string QuoteIfNeeded(string name) => NeedsQuotes(name) ? Quote(name) : name;

    /// <summary>Whether <see cref="QuoteIfNeeded"/> would quote <paramref name="name"/>.</summary>
    public static bool NeedsQuotes(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!IsPlainLower(name))
        {
            return true;
        }

        return SqlKeywords.IsReserved(name);
    }

    /// <summary>A dotted name, each part quoted if needed: <c>QuoteQualified("db", "My Schema", "t")</c> → <c>db."My Schema".t</c>.</summary>
    public static string QuoteQualified(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0)
        {
            throw new ArgumentException("at least one name part is required", nameof(parts));
        }

        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            builder.Append(QuoteIfNeeded(part));
        }

        return builder.ToString();
    }

    /// <summary>Whether the name matches <c>[a-z_][a-z0-9_$]*</c>.</summary>
    internal static bool IsPlainLower(string name)
    {
        if (name.Length == 0 || !(name[0] is (>= 'a' and <= 'z') or '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '$'))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>THE way to write a string literal into SQL.</summary>
internal static class SqlLiteral
{
    /// <summary>
    /// <paramref name="value"/> as a standard string literal <c>'…'</c> with <c>'</c> doubled. Backslashes are
    /// literal (standard_conforming_strings), so nothing else needs escaping.
    /// </summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}

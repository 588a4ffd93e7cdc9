namespace MzDeploy.Engine.Catalog;

/// <summary>
/// Clears a secret value out of text about the statement that carried it. The value is what the statement as sent
/// has where its masked display has the mask: the part between the longest common start and the longest common end
/// of the two. That part, and the value inside its quotes, are replaced by the mask wherever they appear.
/// </summary>
internal static class SecretMask
{
    /// <summary>What a cleared value shows as.</summary>
    public const string Mask = "'***'";

    public static Func<string, string> Redactor(string maskedSql, string sentSql)
    {
        var start = 0;
        while (start < maskedSql.Length && start < sentSql.Length && maskedSql[start] == sentSql[start])
        {
            start++;
        }

        var end = 0;
        while (end < maskedSql.Length - start && end < sentSql.Length - start
               && maskedSql[maskedSql.Length - 1 - end] == sentSql[sentSql.Length - 1 - end])
        {
            end++;
        }

        var value = sentSql[start..(sentSql.Length - end)];
        if (value.Length == 0)
        {
            return text => text;
        }

        // The literal's content without its quotes, and with doubled quotes undone, as a server message may quote it.
        var inner = value.Length >= 2 && value[0] == '\'' && value[^1] == '\''
            ? value[1..^1].Replace("''", "'", StringComparison.Ordinal)
            : value;
        return text =>
        {
            text = text.Replace(value, Mask, StringComparison.Ordinal);
            return inner.Length == 0 ? text : text.Replace(inner, Mask, StringComparison.Ordinal);
        };
    }
}

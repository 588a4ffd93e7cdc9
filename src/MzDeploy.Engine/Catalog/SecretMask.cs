namespace MzDeploy.Engine.Catalog;

/// <summary>
/// Clears a secret value out of text about the statement that carried it. The value is what the statement as sent
/// has where its masked display has the mask: the part between the longest common start and the longest common end
/// of the two. That part, and the value inside its quotes (doubled quotes undone), are replaced by the mask wherever they appear.
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

        // The literal's content with doubled quotes undone (as a server message quotes it), and without its own quotes
        // when the common parts did not take them; longest first, so a shorter form never leaves part of a longer one.
        var unquoted = value.Length >= 2 && value[0] == '\'' && value[^1] == '\'' ? value[1..^1] : value;
        var forms = new[] { value, unquoted, unquoted.Replace("''", "'", StringComparison.Ordinal) }
            .Where(f => f.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(f => f.Length)
            .ToList();
        // A quoted form becomes the mask; an unquoted one its inside, so the quotes around it stay single.
        return text => forms.Aggregate(text, (current, form) =>
            current.Replace(form, form[0] == '\'' && form[^1] == '\'' && form.Length >= 2 ? Mask : Mask[1..^1], StringComparison.Ordinal));
    }
}

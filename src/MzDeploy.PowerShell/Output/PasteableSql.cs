namespace MzDeploy;

/// <summary>
/// Statements as the outputs show them (-DryRun plans, what a promote or setup ran): each terminated by a semicolon,
/// so <c>$plan.Statements</c> pasted into psql runs statement by statement. The engine keeps its statements bare, as
/// it sends them one per round trip.
/// </summary>
internal static class PasteableSql
{
    public static string[] Terminate(IEnumerable<string> statements) => statements.Select(Terminate).ToArray();

    private static string Terminate(string statement)
    {
        var text = statement.TrimEnd();
        return text.EndsWith(';') ? text : text + ";";
    }
}

using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// CREATE SOURCE's subsources (docs: /sql/create-source/load-generator/): the progress subsource
/// (<c>EXPOSE PROGRESS AS name</c>, else <c>&lt;source&gt;_progress</c>) and, with <c>FOR ALL TABLES</c>, a
/// load generator's tables (Bootstrap/96-subsources.sql, which says when the progress subsource is made).
/// </summary>
internal static class SourceStatements
{
    /// <summary>CREATE SOURCE's translation followed by the call that makes its subsources.</summary>
    public static Translation WithSubsources(Translation create, LexedStatement statement, string? pgSchema, string name)
    {
        var tokens = statement.Tokens;
        string? progress = null;
        var forAllTables = false;
        for (var k = 0; k + 2 < tokens.Count; k++)
        {
            if (tokens[k].IsKeyword("for") && tokens[k + 1].IsKeyword("all") && tokens[k + 2].IsKeyword("tables"))
                forAllTables = true;
            if (tokens[k].IsKeyword("expose") && tokens[k + 1].IsKeyword("progress") && k + 3 < tokens.Count && tokens[k + 2].IsKeyword("as")
                && tokens[k + 3].IsWord)
                progress = tokens[k + 3].Value;
        }
        var subsources = "CALL mz_emulator.create_subsources(" + string.Join(", ",
            SqlText.Literal(pgSchema), SqlText.Literal(name), SqlText.Literal(progress), SqlText.Bool(forAllTables)) + ")";
        return create with { Sql = ClusterStatements.Block([create.Sql, subsources]) };
    }
}

using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// <c>DECLARE c CURSOR FOR SUBSCRIBE …</c> and <c>FETCH … WITH (timeout = …)</c>: a subscription as a
/// snapshot. The cursor returns Materialize's columns (<c>mz_timestamp</c>, [<c>mz_progressed</c>,]
/// <c>mz_diff</c>, then the relation's) with every current row once, inserted (<c>mz_diff = 1</c>) at the
/// transaction's timestamp; later FETCHes find nothing, as if no change arrived before the timeout.
/// A bare SUBSCRIBE (an endless stream) stays refused.
/// </summary>
internal static class SubscribeStatements
{
    // Milliseconds since the epoch, as Materialize's mz_timestamp (numeric).
    private const string Timestamp = "(extract(epoch FROM pg_catalog.transaction_timestamp()) * 1000)::numeric(20, 0)";

    /// <summary>
    /// DECLARE name CURSOR [WITHOUT HOLD] FOR SUBSCRIBE … (cursor after DECLARE); null when the cursor is for something else.
    /// </summary>
    public static Translation? Declare(TokenCursor c, string database)
    {
        var statement = c.Statement;
        var cursor = c.Identifier();
        c.ExpectWords("cursor");
        c.Words("without", "hold");
        c.ExpectWords("for");
        if (!c.Words("subscribe"))
            return null;
        c.Words("to");

        var text = statement.Text;
        string query;
        if (c.Current.IsSymbol("("))
        {
            var open = c.Current;
            var depth = 0;
            Token close;
            do
            {
                var t = c.AtEnd ? throw c.Error("expected )") : c.Current;
                if (t.IsSymbol("("))
                    depth++;
                else if (t.IsSymbol(")"))
                    depth--;
                close = t;
                c.Index++;
            } while (depth > 0);
            query = text[open.Span.End..close.Span.Start];
        }
        else
        {
            var first = c.AtEnd ? throw c.Error("expected a relation or a query") : c.Current;
            c.Name();
            query = "SELECT * FROM " + text[first.Span.Start..statement.Tokens[c.Index - 1].Span.End];
        }

        var snapshot = true;
        var progress = false;
        if (c.Words("with"))
        {
            c.Expect("(");
            do
            {
                var option = c.Identifier();
                var value = true;
                if (c.Symbol("=") || !(c.Current.IsSymbol(",") || c.Current.IsSymbol(")")))
                {
                    var (word, _) = c.OptionValue();
                    value = word.Trim('\'').ToLowerInvariant() is "true" or "on" or "1" or "yes";
                }
                switch (option)
                {
                    case "snapshot":
                        snapshot = value;
                        break;
                    case "progress":
                        progress = value;
                        break;
                    default:
                        throw new NotSupportedStatementException($"SUBSCRIBE option {option.ToUpperInvariant()}");
                }
            } while (c.Symbol(","));
            c.Expect(")");
        }
        // AS OF [AT LEAST] ts: answered at "now" (the emulator keeps no history, see AsOfClause); UP TO stays refused.
        if (c.Words("as", "of"))
        {
            while (!c.AtEnd && !(c.Current.IsKeyword("up") && c.PeekAt(1).IsKeyword("to")))
                c.Index++;
        }
        if (!c.AtEnd)
            throw new NotSupportedStatementException("SUBSCRIBE with " + c.Current!.Value.ToUpperInvariant());

        // The query is mapped like any other (names, current_user, …): translate it as a statement of its own.
        var inner = LexedStatement.Split(query) is [var scanned] ? StatementTranslator.Translate(scanned, database)
            : throw TokenCursor.SyntaxError("expected one query in SUBSCRIBE");
        if (inner.Class != StatementClass.Read)
            return inner with { Label = "DECLARE" };
        var sql = $"DECLARE {SqlText.Identifier(cursor)} CURSOR FOR SELECT {Timestamp} AS mz_timestamp, " +
                  (progress ? "false AS mz_progressed, " : "") + "1::bigint AS mz_diff, q.* " +
                  $"FROM ({inner.Sql}) AS q" + (snapshot ? "" : " WHERE false");
        return new Translation(sql, StatementClass.Read, "DECLARE") { IsSubscribe = true };
    }

    /// <summary>
    /// FETCH … c WITH (timeout = …) (cursor after FETCH): PostgreSQL's FETCH has no options; the snapshot is there at once.
    /// </summary>
    public static Translation? Fetch(TokenCursor c)
    {
        var statement = c.Statement;
        var tokens = statement.Tokens;
        if (tokens.Count < 4 || !tokens[0].IsKeyword("fetch"))
            return null;
        for (var k = 1; k + 1 < tokens.Count; k++)
        {
            if (tokens[k].IsKeyword("with") && tokens[k + 1].IsSymbol("(") && tokens[^1].IsSymbol(")"))
                return new Translation(statement.Text[..tokens[k].Span.Start].TrimEnd(), StatementClass.Read, "FETCH");
        }
        return null;
    }
}

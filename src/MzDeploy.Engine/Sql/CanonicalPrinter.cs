using System.Globalization;
using System.Text;

namespace MzDeploy.Engine.Sql;

/// <summary>
/// Renders a statement in canonical form: one line, keywords upper case, names lower case and quoted
/// only when needed, string literals in one spelling, single spaces, no comments. Two statements that
/// differ only in layout, comments, keyword or unquoted-identifier case, or needless quoting render the
/// same; any change to a literal, a name or a clause renders differently. Object hashes are computed from
/// this text, so the rules here are part of the deployment contract: changing them redeploys objects.
/// </summary>
internal static class CanonicalPrinter
{
    /// <summary>
    /// The canonical text of <paramref name="statement"/>. Each span in <paramref name="replacements"/> that
    /// lies in the statement is written as the given text instead of its tokens (callers substitute fully
    /// qualified names for references, so <c>FROM orders</c> and <c>FROM materialize.public.orders</c> render
    /// alike). A replacement span must start and end on token boundaries.
    /// </summary>
    /// <exception cref="ArgumentException">A replacement span cuts through a token or overlaps another.</exception>
    public static string Render(SqlStatement statement, IReadOnlyDictionary<TextSpan, string>? replacements = null)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var edits = new List<KeyValuePair<TextSpan, string>>(replacements?.Count ?? 0);
        if (replacements is not null)
        {
            foreach (var r in replacements)
            {
                if (r.Key.OverlapsWith(statement.Span) || (r.Key.IsEmpty && statement.Span.Contains(r.Key)))
                {
                    edits.Add(r);
                }
            }

            // A stable insertion sort by start, as OrderBy was (a statement has a handful of edits).
            for (var i = 1; i < edits.Count; i++)
            {
                var edit = edits[i];
                var j = i - 1;
                while (j >= 0 && edits[j].Key.Start > edit.Key.Start)
                {
                    edits[j + 1] = edits[j];
                    j--;
                }

                edits[j + 1] = edit;
            }
        }

        var writer = new PieceWriter(statement.Span.Length);
        var tokens = statement.LendTokens();
        var editIndex = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (editIndex < edits.Count && edits[editIndex].Key.Start < token.Span.End)
            {
                var (span, text) = (edits[editIndex].Key, edits[editIndex].Value);
                if (span.Start != token.Span.Start)
                {
                    throw new ArgumentException($"replacement {span} does not start at a token boundary", nameof(replacements));
                }

                var last = i;
                while (last + 1 < tokens.Count && tokens[last + 1].Span.Start < span.End)
                {
                    last++;
                }

                if (tokens[last].Span.End != span.End)
                {
                    throw new ArgumentException($"replacement {span} does not end at a token boundary", nameof(replacements));
                }

                writer.Write(text, PieceKind.Name);
                editIndex++;
                if (editIndex < edits.Count && edits[editIndex].Key.Start < span.End)
                {
                    throw new ArgumentException($"replacement {edits[editIndex].Key} overlaps {span}", nameof(replacements));
                }

                i = last;
                continue;
            }

            var isName = token.IsName;
            writer.Write(RenderToken(token, isName), Classify(token, isName));
        }

        return writer.ToString();
    }

    /// <summary>The canonical spelling of a data type: lower case, single-spaced (<c>numeric(10, 2)</c>).</summary>
    public static string RenderType(IReadOnlyList<Token> tokens)
    {
        var writer = new PieceWriter();
        foreach (var token in tokens)
        {
            var text = token.Kind switch
            {
                TokenKind.Identifier => token.Value,
                TokenKind.QuotedIdentifier when token.Value.Length > 0 => RenderQuoted(token.Value),
                _ => RenderToken(token, isName: false),
            };
            writer.Write(text, token.Kind is TokenKind.Identifier or TokenKind.QuotedIdentifier ? PieceKind.Name : Classify(token, false));
        }

        return writer.ToString();
    }

    /// <summary>A string literal in canonical spelling: <c>'…'</c>, or <c>E'…'</c> when it holds control characters.</summary>
    public static string RenderString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(char.IsControl))
        {
            return SqlLiteral.Quote(value);
        }

        var builder = new StringBuilder("E'");
        foreach (var c in value)
        {
            switch (c)
            {
                case '\'':
                    builder.Append("''");
                    break;
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                case '\r':
                    builder.Append(@"\r");
                    break;
                case '\t':
                    builder.Append(@"\t");
                    break;
                case '\b':
                    builder.Append(@"\b");
                    break;
                case '\f':
                    builder.Append(@"\f");
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('\'').ToString();
    }

    private static string RenderToken(Token token, bool isName) => token.Kind switch
    {
        TokenKind.QuotedIdentifier when token.Value.Length == 0 => "\"\"", // only after a lexical error
        TokenKind.Identifier when isName => SqlIdentifier.QuoteIfNeeded(token.Value),
        TokenKind.Identifier => UpperKeywords.TryGetValue(token.Value, out var upper) ? upper : token.Value,
        TokenKind.QuotedIdentifier when isName => SqlIdentifier.QuoteIfNeeded(token.Value),
        TokenKind.QuotedIdentifier => RenderQuoted(token.Value),
        TokenKind.String => RenderString(token.Value),
        TokenKind.Number => token.Text.ToLowerInvariant(),
        TokenKind.Operator when token.Text == "!=" => "<>",
        _ => token.Text,
    };

    /// <summary>
    /// A quoted identifier outside a name position: bare only when it cannot be mistaken for a keyword
    /// (the printer upper-cases keywords, so <c>"name"</c> and <c>NAME</c> must stay apart).
    /// </summary>
    private static string RenderQuoted(string value) =>
        SqlIdentifier.IsPlainLower(value) && !SqlKeywords.IsKeyword(value) ? value : SqlIdentifier.Quote(value);

    /// <summary>Every keyword and its upper-case spelling, so rendering a keyword allocates nothing.</summary>
    private static readonly Dictionary<string, string> UpperKeywords =
        SqlKeywords.All.ToDictionary(k => k, k => k.ToUpperInvariant(), StringComparer.Ordinal);

    private static PieceKind Classify(Token token, bool isName) => token.Kind switch
    {
        TokenKind.Identifier when !isName && UpperKeywords.ContainsKey(token.Value) => PieceKind.Keyword,
        TokenKind.Identifier or TokenKind.QuotedIdentifier => PieceKind.Name,
        TokenKind.LeftParen => PieceKind.Open,
        TokenKind.LeftBracket => PieceKind.OpenBracket,
        TokenKind.RightParen or TokenKind.RightBracket => PieceKind.Close,
        TokenKind.Comma => PieceKind.Comma,
        TokenKind.Dot => PieceKind.Dot,
        TokenKind.Operator when token.Text == "::" => PieceKind.Cast,
        TokenKind.Operator => PieceKind.Operator,
        _ => PieceKind.Literal,
    };

    private enum PieceKind
    {
        Keyword,
        Name,
        Literal,
        Operator,
        Cast,
        Open,
        OpenBracket,
        Close,
        Comma,
        Dot,
    }

    /// <summary>Joins pieces with the canonical spacing, which depends only on the kinds of adjacent pieces.</summary>
    private sealed class PieceWriter
    {
        private readonly StringBuilder _builder;
        private PieceKind? _previous;

        public PieceWriter(int capacity = 16) => _builder = new StringBuilder(capacity);

        public void Write(string text, PieceKind kind)
        {
            if (_previous is { } previous && NeedsSpace(previous, kind))
            {
                _builder.Append(' ');
            }

            _builder.Append(text);
            _previous = kind;
        }

        private static bool NeedsSpace(PieceKind previous, PieceKind next)
        {
            if (next is PieceKind.Close or PieceKind.Comma or PieceKind.Dot or PieceKind.Cast)
            {
                return false;
            }

            if (previous is PieceKind.Open or PieceKind.OpenBracket or PieceKind.Dot or PieceKind.Cast)
            {
                return false;
            }

            // f(x), a[1], ARRAY[1]: calls and subscripts hug their operand.
            if (next == PieceKind.Open && previous == PieceKind.Name)
            {
                return false;
            }

            if (next == PieceKind.OpenBracket && previous is PieceKind.Name or PieceKind.Keyword or PieceKind.Close)
            {
                return false;
            }

            return true;
        }

        public override string ToString() => _builder.ToString();
    }
}

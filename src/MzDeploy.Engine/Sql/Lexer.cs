namespace MzDeploy.Engine.Sql;

/// <summary>The tokens of a text, its comments, and the lexical errors found.</summary>
/// <param name="Tokens">Every token except comments and whitespace; always ends with <see cref="TokenKind.EndOfFile"/>.</param>
/// <param name="Comments">The comments, in order, as <see cref="TokenKind.Comment"/> tokens.</param>
/// <param name="Errors">Unterminated strings, quoted identifiers, comments, dollar quotes; stray characters.</param>
public sealed record LexResult(IReadOnlyList<Token> Tokens, IReadOnlyList<Token> Comments, IReadOnlyList<SqlError> Errors);

/// <summary>
/// Splits Materialize SQL into tokens. Follows PostgreSQL's lexical rules (identifier folding, <c>''</c> and
/// <c>E''</c> strings, dollar quoting, nested block comments, operator formation) plus psql variables
/// (<c>:name</c>, <c>:'name'</c>, <c>:"name"</c>), which mz-deploy projects use for per-profile values.
/// The lexer never throws on bad input: it reports an error and carries on, so every problem of a file is
/// found in one pass.
/// </summary>
public static partial class Lexer
{
    private const string OperatorChars = "+-*/<>=~!@#%^&|`?";

    /// <summary>Tokenizes <paramref name="text"/>.</summary>
    public static LexResult Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var state = new State(text);
        state.Run();
        return new LexResult(state.Tokens.ToArray(), state.CommentsOrEmpty, state.ErrorsOrEmpty);
    }

    /// <summary>Like <see cref="Tokenize"/>, but the tokens are lent: valid until the next lexing on this thread.</summary>
    internal static (List<Token> Tokens, IReadOnlyList<Token> Comments, IReadOnlyList<SqlError> Errors) TokenizeTransient(string text)
    {
        var state = new State(text);
        state.Run();
        return (state.Tokens, state.CommentsOrEmpty, state.ErrorsOrEmpty);
    }

    /// <summary>
    /// The tokens of <paramref name="text"/> that start inside <paramref name="span"/>, without an end token:
    /// a parsed statement's tokens lexed again on demand (its span starts and ends on token boundaries).
    /// Lexing starts afresh at the span, as after the <c>;</c> that ends the statement before it.
    /// </summary>
    internal static Token[] TokenizeSpan(string text, TextSpan span)
    {
        var state = new State(text, span.Start, span.End);
        state.Run(addEnd: false);
        return state.Tokens.ToArray();
    }

    /// <summary>
    /// Like <see cref="TokenizeSpan(string, TextSpan)"/>, but the tokens are only lent: they are valid until
    /// the next lexing on this thread (the canonical printer reads them once and lets them go).
    /// </summary>
    internal static List<Token> TokenizeSpanTransient(string text, TextSpan span)
    {
        var state = new State(text, span.Start, span.End);
        state.Run(addEnd: false);
        return state.Tokens;
    }

    private sealed partial class State
    {
        private readonly string _text;
        private readonly int _stop;
        private int _pos;
        private int _bracketDepth;

        public State(string text, int start = 0, int stop = int.MaxValue)
        {
            _text = text;
            _pos = start;
            _stop = stop;
        }

        // Tokens are gathered in a per-thread buffer and copied out at their exact count: a project keeps
        // every file's tokens, so growth slack would be kept too.
        [ThreadStatic]
        private static List<Token>? t_buffer;

        private List<Token>? _comments;
        private List<SqlError>? _errors;

        public List<Token> Tokens { get; } = TakeBuffer();

        public List<Token> Comments => _comments ??= new();

        public List<SqlError> Errors => _errors ??= new();

        public IReadOnlyList<Token> CommentsOrEmpty => _comments?.ToArray() ?? Array.Empty<Token>();

        public IReadOnlyList<SqlError> ErrorsOrEmpty => _errors ?? (IReadOnlyList<SqlError>)Array.Empty<SqlError>();

        private static List<Token> TakeBuffer()
        {
            var buffer = t_buffer ??= new List<Token>(256);
            buffer.Clear();
            return buffer;
        }

        private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

        private bool AtEnd(int ahead = 0) => _pos + ahead >= _text.Length;

        public void Run(bool addEnd = true)
        {
            ReportNulCharacters();
            while (!AtEnd() && _pos < _stop)
            {
                var c = Peek();
                var start = _pos;
                if (char.IsWhiteSpace(c) || c == '\0')
                {
                    _pos++; // a NUL was reported by ReportNulCharacters
                }
                else if (c == '-' && Peek(1) == '-')
                {
                    LineComment();
                }
                else if (c == '/' && Peek(1) == '*')
                {
                    BlockComment();
                }
                else if (c == '\'')
                {
                    PlainString(start, start);
                }
                else if ((c == 'e' || c == 'E') && Peek(1) == '\'')
                {
                    _pos++;
                    EscapeString(start);
                }
                else if ((c == 'n' || c == 'N') && Peek(1) == '\'')
                {
                    // N'…' (national character) is an ordinary string literal.
                    _pos++;
                    PlainString(start, _pos);
                }
                else if (c == '"')
                {
                    QuotedIdentifier();
                }
                else if (c == '$')
                {
                    Dollar();
                }
                else if (IsIdentifierStart(c))
                {
                    Word();
                }
                else if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(1))))
                {
                    Number();
                }
                else if (c == ':')
                {
                    Colon();
                }
                else if (OperatorChars.Contains(c))
                {
                    Operator();
                }
                else
                {
                    var kind = c switch
                    {
                        '(' => TokenKind.LeftParen,
                        ')' => TokenKind.RightParen,
                        '[' => TokenKind.LeftBracket,
                        ']' => TokenKind.RightBracket,
                        ',' => TokenKind.Comma,
                        ';' => TokenKind.Semicolon,
                        '.' => TokenKind.Dot,
                        _ => TokenKind.EndOfFile,
                    };
                    _pos++;
                    if (kind == TokenKind.EndOfFile)
                    {
                        Errors.Add(new SqlError($"unexpected character '{c}'", new TextSpan(start, 1)));
                        continue;
                    }

                    if (kind == TokenKind.LeftBracket)
                    {
                        _bracketDepth++;
                    }
                    else if (kind == TokenKind.RightBracket && _bracketDepth > 0)
                    {
                        _bracketDepth--;
                    }

                    Add(kind, start, Punctuation[(int)kind - (int)TokenKind.LeftParen]);
                }
            }

            if (addEnd)
            {
                Tokens.Add(new Token(TokenKind.EndOfFile, new TextSpan(_text.Length, 0), string.Empty, string.Empty));
            }
        }

        /// <summary>
        /// Reports every NUL (U+0000) of the text to lex, wherever it is: in a string literal it would compile
        /// and only fail at deploy time (PostgreSQL and Materialize cannot store NUL in text), and anywhere
        /// else it is no SQL at all. Cheap: one vectorized search over text that almost never holds one.
        /// </summary>
        private void ReportNulCharacters()
        {
            var end = Math.Min(_stop, _text.Length);
            for (var i = _text.IndexOf('\0', _pos, end - _pos); i >= 0; i = i + 1 < end ? _text.IndexOf('\0', i + 1, end - i - 1) : -1)
            {
                Errors.Add(new SqlError(NulMessage, new TextSpan(i, 1)));
            }
        }

        private const string NulMessage = "NUL character (U+0000) is not allowed: Materialize cannot store it in text; remove it from the file";

        private static readonly string[] Punctuation = ["(", ")", "[", "]", ",", ";", "."];

        /// <summary>Adds a token; its text is shared with <paramref name="value"/> when they are equal, else sliced on demand.</summary>
        private void Add(TokenKind kind, int start, string value, StringStyle style = StringStyle.None)
        {
            var span = TextSpan.FromBounds(start, _pos);
            var text = value.Length == span.Length && _text.AsSpan(start, span.Length).SequenceEqual(value) ? value : null;
            Tokens.Add(new Token(kind, span, _text, text, value) { StringStyle = style });
        }

        private void LineComment()
        {
            var start = _pos;
            while (!AtEnd() && Peek() != '\n' && Peek() != '\r')
            {
                _pos++;
            }

            AddComment(start);
        }

        private void BlockComment()
        {
            var start = _pos;
            var depth = 0;
            while (!AtEnd())
            {
                if (Peek() == '/' && Peek(1) == '*')
                {
                    depth++;
                    _pos += 2;
                }
                else if (Peek() == '*' && Peek(1) == '/')
                {
                    depth--;
                    _pos += 2;
                    if (depth == 0)
                    {
                        AddComment(start);
                        return;
                    }
                }
                else
                {
                    _pos++;
                }
            }

            Errors.Add(new SqlError("unterminated /* comment", TextSpan.FromBounds(start, _pos)));
            AddComment(start);
        }

        private void AddComment(int start)
        {
            Comments.Add(new Token(TokenKind.Comment, TextSpan.FromBounds(start, _pos), _text, null, null!));
        }

        private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_' || c > 0x7F && !char.IsWhiteSpace(c) && !char.IsPunctuation(c) && !char.IsSymbol(c);

        private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || char.IsDigit(c) || c == '$';

        private void Word()
        {
            var start = _pos;
            while (!AtEnd() && IsIdentifierPart(Peek()))
            {
                _pos++;
            }

            Add(TokenKind.Identifier, start, StringPool.ToLower(_text.AsSpan(start, _pos - start)));
        }

        private void Number()
        {
            var start = _pos;
            while (char.IsAsciiDigit(Peek()))
            {
                _pos++;
            }

            // A '.' belongs to the number unless it starts a '..' or a member access such as 1.x (not SQL).
            if (Peek() == '.' && Peek(1) != '.')
            {
                _pos++;
                while (char.IsAsciiDigit(Peek()))
                {
                    _pos++;
                }
            }

            if ((Peek() == 'e' || Peek() == 'E')
                && (char.IsAsciiDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && char.IsAsciiDigit(Peek(2)))))
            {
                _pos += 2;
                while (char.IsAsciiDigit(Peek()))
                {
                    _pos++;
                }
            }

            Add(TokenKind.Number, start, StringPool.Get(_text.AsSpan(start, _pos - start)));
        }

        private void Colon()
        {
            var start = _pos;
            if (Peek(1) == ':')
            {
                _pos += 2;
                Add(TokenKind.Operator, start, "::");
                return;
            }

            if (Peek(1) == '=')
            {
                _pos += 2;
                Add(TokenKind.Operator, start, ":=");
                return;
            }

            if (TryVariable(start))
            {
                return;
            }

            _pos++;
            Add(TokenKind.Operator, start, ":");
        }

        private static bool IsVariableStart(char c) => char.IsLetter(c) || c == '_';

        private static bool IsVariablePart(char c) => char.IsLetterOrDigit(c) || c == '_';

        private bool TryVariable(int start)
        {
            var quote = Peek(1);
            if (quote is '\'' or '"')
            {
                var end = start + 2;
                if (end >= _text.Length || !IsVariableStart(_text[end]))
                {
                    return false;
                }

                while (end < _text.Length && IsVariablePart(_text[end]))
                {
                    end++;
                }

                if (end >= _text.Length || _text[end] != quote)
                {
                    return false;
                }

                _pos = end + 1;
                var style = quote == '\'' ? VariableStyle.Literal : VariableStyle.Identifier;
                var token = new Token(TokenKind.Variable, TextSpan.FromBounds(start, _pos), _text, null, _text[(start + 2)..end])
                {
                    VariableStyle = style,
                };
                Tokens.Add(token);
                return true;
            }

            if (!IsVariableStart(quote))
            {
                return false;
            }

            // Inside [...] a ':' after an operand is an array slice (a[lo:hi]), not a variable.
            if (_bracketDepth > 0 && Tokens.Count > 0 && EndsOperand(Tokens[^1]))
            {
                return false;
            }

            var nameEnd = start + 1;
            while (nameEnd < _text.Length && IsVariablePart(_text[nameEnd]))
            {
                nameEnd++;
            }

            _pos = nameEnd;
            Tokens.Add(new Token(TokenKind.Variable, TextSpan.FromBounds(start, _pos), _text, null, _text[(start + 1)..nameEnd])
            {
                VariableStyle = VariableStyle.Raw,
            });
            return true;
        }

        private static bool EndsOperand(Token token) => token.Kind is TokenKind.Identifier or TokenKind.QuotedIdentifier
            or TokenKind.Number or TokenKind.String or TokenKind.RightParen or TokenKind.RightBracket
            or TokenKind.Parameter or TokenKind.Variable;

        private void Operator()
        {
            var start = _pos;
            while (!AtEnd() && OperatorChars.Contains(Peek()))
            {
                // A comment start ends the operator: a--b is a, -, comment.
                if (_pos > start && ((Peek() == '-' && Peek(1) == '-') || (Peek() == '/' && Peek(1) == '*')))
                {
                    break;
                }

                _pos++;
            }

            // PostgreSQL: a multi-character operator cannot end in + or - unless it also holds one of ~!@#%^&|`?
            // (so "=-1" is "=" then "-1").
            var length = _pos - start;
            if (length > 1)
            {
                var op = _text.AsSpan(start, length);
                if (op.IndexOfAny("~!@#%^&|`?") < 0)
                {
                    while (length > 1 && (op[length - 1] == '+' || op[length - 1] == '-'))
                    {
                        length--;
                    }
                }
            }

            _pos = start + length;
            Add(TokenKind.Operator, start, StringPool.Get(_text.AsSpan(start, length)));
        }
    }
}

using System.Globalization;
using System.Text;

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
public static class Lexer
{
    private const string OperatorChars = "+-*/<>=~!@#%^&|`?";

    /// <summary>Tokenizes <paramref name="text"/>.</summary>
    public static LexResult Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var state = new State(text);
        state.Run();
        return new LexResult(state.Tokens, state.Comments, state.Errors);
    }

    private sealed class State
    {
        private readonly string _text;
        private int _pos;
        private int _bracketDepth;

        public State(string text) => _text = text;

        public List<Token> Tokens { get; } = new();

        public List<Token> Comments { get; } = new();

        public List<SqlError> Errors { get; } = new();

        private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

        private bool AtEnd(int ahead = 0) => _pos + ahead >= _text.Length;

        public void Run()
        {
            while (!AtEnd())
            {
                var c = Peek();
                var start = _pos;
                if (char.IsWhiteSpace(c))
                {
                    _pos++;
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

                    Add(kind, start, c.ToString());
                }
            }

            Tokens.Add(new Token(TokenKind.EndOfFile, new TextSpan(_text.Length, 0), string.Empty, string.Empty));
        }

        private Token Add(TokenKind kind, int start, string value, StringStyle style = StringStyle.None)
        {
            var token = new Token(kind, TextSpan.FromBounds(start, _pos), _text[start.._pos], value) { StringStyle = style };
            Tokens.Add(token);
            return token;
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
            var text = _text[start.._pos];
            Comments.Add(new Token(TokenKind.Comment, TextSpan.FromBounds(start, _pos), text, text));
        }

        /// <summary>A <c>'…'</c> literal whose opening quote is at <paramref name="quote"/>.</summary>
        private void PlainString(int start, int quote)
        {
            _pos = quote + 1;
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd())
                {
                    Errors.Add(new SqlError("unterminated string literal", TextSpan.FromBounds(start, _pos)));
                    break;
                }

                var c = Peek();
                _pos++;
                if (c == '\'')
                {
                    if (Peek() == '\'')
                    {
                        value.Append('\'');
                        _pos++;
                        continue;
                    }

                    break;
                }

                value.Append(c);
            }

            Add(TokenKind.String, start, value.ToString(), StringStyle.Plain);
        }

        /// <summary>An <c>E'…'</c> literal; <see cref="_pos"/> is at the quote.</summary>
        private void EscapeString(int start)
        {
            _pos++;
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd())
                {
                    Errors.Add(new SqlError("unterminated string literal", TextSpan.FromBounds(start, _pos)));
                    break;
                }

                var c = Peek();
                _pos++;
                if (c == '\'')
                {
                    if (Peek() == '\'')
                    {
                        value.Append('\'');
                        _pos++;
                        continue;
                    }

                    break;
                }

                if (c != '\\')
                {
                    value.Append(c);
                    continue;
                }

                if (AtEnd())
                {
                    continue;
                }

                var escapeStart = _pos - 1;
                var e = Peek();
                _pos++;
                switch (e)
                {
                    case 'b': value.Append('\b'); break;
                    case 'f': value.Append('\f'); break;
                    case 'n': value.Append('\n'); break;
                    case 'r': value.Append('\r'); break;
                    case 't': value.Append('\t'); break;
                    case 'x' when char.IsAsciiHexDigit(Peek()):
                        value.Append((char)ReadDigits(16, 2));
                        break;
                    case 'u':
                    case 'U':
                        {
                            var width = e == 'u' ? 4 : 8;
                            var digits = _text.Substring(_pos, Math.Min(width, _text.Length - _pos));
                            if (digits.Length == width && digits.All(char.IsAsciiHexDigit)
                                && int.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp)
                                && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF))
                            {
                                _pos += width;
                                value.Append(char.ConvertFromUtf32(cp));
                            }
                            else
                            {
                                Errors.Add(new SqlError("invalid Unicode escape in string literal", TextSpan.FromBounds(escapeStart, _pos)));
                            }

                            break;
                        }

                    default:
                        if (e is >= '0' and <= '7')
                        {
                            _pos--;
                            value.Append((char)(ReadDigits(8, 3) & 0xFF));
                        }
                        else
                        {
                            value.Append(e);
                        }

                        break;
                }
            }

            Add(TokenKind.String, start, value.ToString(), StringStyle.Escape);
        }

        private int ReadDigits(int radix, int max)
        {
            var result = 0;
            for (var n = 0; n < max && !AtEnd(); n++)
            {
                var digit = HexValue(Peek());
                if (digit < 0 || digit >= radix)
                {
                    break;
                }

                result = (result * radix) + digit;
                _pos++;
            }

            return result;
        }

        private static int HexValue(char c) => c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };

        private void QuotedIdentifier()
        {
            var start = _pos;
            _pos++;
            var value = new StringBuilder();
            var terminated = false;
            while (!AtEnd())
            {
                var c = Peek();
                _pos++;
                if (c == '"')
                {
                    if (Peek() == '"')
                    {
                        value.Append('"');
                        _pos++;
                        continue;
                    }

                    terminated = true;
                    break;
                }

                value.Append(c);
            }

            if (!terminated)
            {
                Errors.Add(new SqlError("unterminated quoted identifier", TextSpan.FromBounds(start, _pos)));
            }
            else if (value.Length == 0)
            {
                Errors.Add(new SqlError("zero-length quoted identifier", TextSpan.FromBounds(start, _pos)));
            }

            Add(TokenKind.QuotedIdentifier, start, value.ToString());
        }

        private void Dollar()
        {
            var start = _pos;
            if (char.IsAsciiDigit(Peek(1)))
            {
                _pos++;
                while (char.IsAsciiDigit(Peek()))
                {
                    _pos++;
                }

                Add(TokenKind.Parameter, start, _text[(start + 1).._pos]);
                return;
            }

            // $tag$ … $tag$ where the tag is empty or an identifier without '$'.
            var end = start + 1;
            if (end < _text.Length && (char.IsLetter(_text[end]) || _text[end] == '_'))
            {
                end++;
                while (end < _text.Length && (char.IsLetterOrDigit(_text[end]) || _text[end] == '_'))
                {
                    end++;
                }
            }

            if (end >= _text.Length || _text[end] != '$')
            {
                _pos++;
                Errors.Add(new SqlError("unexpected character '$'", new TextSpan(start, 1)));
                return;
            }

            var delimiter = _text[start..(end + 1)];
            var bodyStart = end + 1;
            var close = _text.IndexOf(delimiter, bodyStart, StringComparison.Ordinal);
            if (close < 0)
            {
                _pos = _text.Length;
                Errors.Add(new SqlError($"unterminated dollar-quoted string (missing {delimiter})", TextSpan.FromBounds(start, _pos)));
                Add(TokenKind.String, start, _text[bodyStart..], StringStyle.Dollar);
                return;
            }

            _pos = close + delimiter.Length;
            Add(TokenKind.String, start, _text[bodyStart..close], StringStyle.Dollar);
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

            Add(TokenKind.Identifier, start, _text[start.._pos].ToLowerInvariant());
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

            Add(TokenKind.Number, start, _text[start.._pos]);
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
                var token = new Token(TokenKind.Variable, TextSpan.FromBounds(start, _pos), _text[start.._pos], _text[(start + 2)..end])
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
            Tokens.Add(new Token(TokenKind.Variable, TextSpan.FromBounds(start, _pos), _text[start.._pos], _text[(start + 1)..nameEnd])
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
            Add(TokenKind.Operator, start, _text.Substring(start, length));
        }
    }
}

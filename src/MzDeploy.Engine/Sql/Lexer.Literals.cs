using System.Globalization;
using System.Text;

namespace MzDeploy.Engine.Sql;

/// <summary>String literals, quoted identifiers, parameters and dollar quotes.</summary>
public static partial class Lexer
{
    private sealed partial class State
    {
        /// <summary>A <c>'…'</c> literal whose opening quote is at <paramref name="quote"/>.</summary>
        private void PlainString(int start, int quote)
        {
            _pos = quote + 1;

            // Most literals hold no doubled quote: their value is a slice of the text.
            var close = _text.IndexOf('\'', _pos);
            if (close >= 0 && (close + 1 >= _text.Length || _text[close + 1] != '\''))
            {
                var body = _text.AsSpan(_pos, close - _pos);
                _pos = close + 1;
                Add(TokenKind.String, start, StringPool.Get(body), StringStyle.Plain);
                return;
            }

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
                var before = value.Length;
                switch (e)
                {
                    case 'b':
                        value.Append('\b');
                        break;
                    case 'f':
                        value.Append('\f');
                        break;
                    case 'n':
                        value.Append('\n');
                        break;
                    case 'r':
                        value.Append('\r');
                        break;
                    case 't':
                        value.Append('\t');
                        break;
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

                if (e != '\0' && value.Length > before && value[before] == '\0')
                {
                    // E'\0', E'\x00', E'\u0000': PostgreSQL refuses these ("invalid byte sequence"), so must we.
                    Errors.Add(new SqlError("NUL character (U+0000) is not allowed in a string literal: Materialize cannot store it in text",
                        TextSpan.FromBounds(escapeStart, _pos)));
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
    }
}

namespace MzDeploy.Engine.Sql;

/// <summary>
/// Recursive-descent parser for one statement. Headers and queries are parsed exactly, expressions by the
/// grammar in Parser.Expression.cs (validated, not kept as a tree: relation references live only in FROM
/// items and subqueries). Option values and the tails of tool statements are scanned (balanced brackets).
/// </summary>
internal sealed partial class Parser
{
    /// <summary>
    /// Words that cannot be an unquoted identifier in a name or alias position (PostgreSQL's reserved
    /// words). Narrower than <see cref="SqlKeywords.Reserved"/>, which over-quotes on purpose.
    /// </summary>
    private static readonly HashSet<string> NameReserved = new(StringComparer.Ordinal)
    {
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast",
        "check", "collate", "column", "constraint", "create", "cross", "current_catalog", "current_date",
        "current_role", "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc",
        "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "from", "full", "grant",
        "group", "having", "ilike", "in", "initially", "inner", "intersect", "into", "is", "join", "lateral",
        "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "not", "null", "offset",
        "on", "only", "or", "order", "outer", "placing", "primary", "references", "returning", "right", "select",
        "session_user", "similar", "some", "symmetric", "table", "then", "to", "trailing", "true", "union",
        "unique", "user", "using", "variadic", "when", "where", "window", "with",
    };

    private readonly string _text;
    private readonly TokenList _tokens;
    private readonly List<Reference> _references = new();
    private readonly List<int> _nameTokens = new();
    private int _pos;

    /// <summary>Set while parsing the value of <c>CREATE SECRET … AS</c>: column names are refused and errors never quote tokens.</summary>
    private bool _inSecretValue;

    /// <summary>A parser for the <paramref name="count"/> tokens of <paramref name="tokens"/> from <paramref name="start"/>.</summary>
    public Parser(string text, List<Token> tokens, int start, int count, Token end)
    {
        _text = text;
        _tokens = new TokenList(tokens, start, count, end);
    }

    private Token Current => _tokens[_pos];

    private bool AtEnd => Current.Kind == TokenKind.EndOfFile;

    private Token Peek(int ahead) => _tokens[Math.Min(_pos + ahead, _tokens.Count - 1)];

    private Token Previous(int back = 1) => _pos - back >= 0 ? _tokens[_pos - back] : _tokens[^1];

    private Token Advance()
    {
        var token = Current;
        if (!AtEnd)
        {
            _pos++;
        }

        return token;
    }

    private bool Is(string keyword, int ahead = 0) => Peek(ahead).IsKeyword(keyword);

    private bool Is(TokenKind kind, int ahead = 0) => Peek(ahead).Kind == kind;

    private bool IsSequence(params string[] keywords)
    {
        for (var i = 0; i < keywords.Length; i++)
        {
            if (!Is(keywords[i], i))
            {
                return false;
            }
        }

        return true;
    }

    private bool Accept(string keyword)
    {
        if (!Is(keyword))
        {
            return false;
        }

        _pos++;
        return true;
    }

    private bool Accept(TokenKind kind)
    {
        if (!Is(kind))
        {
            return false;
        }

        _pos++;
        return true;
    }

    /// <summary>Consumes all of <paramref name="keywords"/> if they come next, in order; otherwise nothing.</summary>
    private bool AcceptSequence(params string[] keywords)
    {
        if (!IsSequence(keywords))
        {
            return false;
        }

        _pos += keywords.Length;
        return true;
    }

    private void Expect(string keyword)
    {
        if (!Accept(keyword))
        {
            throw Error(keyword.ToUpperInvariant());
        }
    }

    private void ExpectSequence(params string[] keywords)
    {
        foreach (var keyword in keywords)
        {
            Expect(keyword);
        }
    }

    private Token Expect(TokenKind kind)
    {
        if (!Is(kind))
        {
            throw Error(Describe(kind));
        }

        return Advance();
    }

    private static string Describe(TokenKind kind) => kind switch
    {
        TokenKind.LeftParen => "'('",
        TokenKind.RightParen => "')'",
        TokenKind.LeftBracket => "'['",
        TokenKind.RightBracket => "']'",
        TokenKind.Comma => "','",
        TokenKind.Dot => "'.'",
        TokenKind.String => "a string literal",
        TokenKind.Number => "a number",
        _ => kind.ToString(),
    };

    private string Describe(Token token)
    {
        if (token.Kind == TokenKind.EndOfFile)
        {
            return "end of statement";
        }

        if (_inSecretValue)
        {
            return DescribeKind(token);
        }

        var text = token.Text.Length > 40 ? token.Text[..37] + "..." : token.Text;
        return $"'{text.ReplaceLineEndings(" ")}'";
    }

    /// <summary>What a token is, without its text (for errors inside a secret value).</summary>
    private static string DescribeKind(Token token) => token.Kind switch
    {
        TokenKind.Identifier or TokenKind.QuotedIdentifier => "a name",
        TokenKind.Operator => "an operator",
        TokenKind.Variable => "a variable",
        TokenKind.Parameter => "a parameter",
        _ => Describe(token.Kind),
    };

    /// <summary>A syntax error "expected X, found Y" at the current token.</summary>
    private SyntaxException Error(string expected) =>
        new($"expected {expected}, found {Describe(Current)}", Current.Span);

    private SyntaxException ErrorAt(Token token, string message) => new(message, token.Span);

    private void MarkName() => _nameTokens.Add(_pos - 1);

    /// <summary>The name tokens between <paramref name="start"/> and <paramref name="end"/>, relative to <paramref name="start"/>, sorted.</summary>
    private int[] NameIndexes(int start, int end)
    {
        var indexes = new List<int>(_nameTokens.Count);
        foreach (var index in _nameTokens)
        {
            if (index >= start && index < end)
            {
                indexes.Add(index - start);
            }
        }

        indexes.Sort();
        return indexes.ToArray();
    }

    private bool IsIdentifierToken(Token token, bool allowReserved) =>
        token.Kind == TokenKind.QuotedIdentifier
        || (token.Kind == TokenKind.Identifier && (allowReserved || !NameReserved.Contains(token.Value)));

    /// <summary>An identifier; unquoted reserved words are refused unless <paramref name="allowReserved"/>.</summary>
    private Identifier ParseIdentifier(string what, bool allowReserved = false)
    {
        if (!IsIdentifierToken(Current, allowReserved))
        {
            throw Error(what);
        }

        var token = Advance();
        MarkName();
        return new Identifier(token.Value, token.Kind == TokenKind.QuotedIdentifier, token.Span);
    }

    /// <summary>A dotted name of 1 to <paramref name="maxParts"/> parts. Parts after a dot may be any word.</summary>
    private ObjectName ParseObjectName(string what, int maxParts = 3)
    {
        var first = ParseIdentifier(what);
        if (!Is(TokenKind.Dot))
        {
            return new ObjectName(new[] { first }, first.Span); // the common case, without a list
        }

        var parts = new List<Identifier> { first };
        while (Is(TokenKind.Dot) && IsIdentifierToken(Peek(1), allowReserved: true))
        {
            Advance();
            parts.Add(ParseIdentifier(what, allowReserved: true));
        }

        if (Is(TokenKind.Dot))
        {
            Advance();
            throw Error("a name after '.'");
        }

        var span = TextSpan.FromBounds(parts[0].Span.Start, parts[^1].Span.End);
        if (parts.Count > maxParts)
        {
            throw new SyntaxException($"{what} '{_text.Substring(span.Start, span.Length)}' has {parts.Count} parts; at most {maxParts} are allowed", span);
        }

        return new ObjectName(parts.ToArray(), span);
    }

    /// <summary>A comma-separated list of identifiers in parentheses.</summary>
    private List<Identifier> ParseParenthesizedIdentifiers(string what)
    {
        Expect(TokenKind.LeftParen);
        var list = new List<Identifier>();
        if (!Is(TokenKind.RightParen))
        {
            do
            {
                list.Add(ParseIdentifier(what, allowReserved: true));
            }
            while (Accept(TokenKind.Comma));
        }

        Expect(TokenKind.RightParen);
        return list;
    }

    private void AddReference(ObjectName name, ReferenceKind kind) => _references.Add(new Reference(name, kind));

    private void AddReference(Identifier name, ReferenceKind kind) =>
        _references.Add(new Reference(new ObjectName(new[] { name }, name.Span), kind));

    /// <summary>The <c>IN CLUSTER c</c> clause, if it comes next; the cluster becomes a reference.</summary>
    private Identifier? ParseOptionalInCluster()
    {
        if (!IsSequence("in", "cluster"))
        {
            return null;
        }

        _pos += 2;
        var cluster = ParseIdentifier("cluster name");
        AddReference(cluster, ReferenceKind.Cluster);
        return cluster;
    }

    /// <summary>Skips a balanced group starting at the current '(' or '['.</summary>
    private void SkipBalanced()
    {
        if (!Is(TokenKind.LeftParen) && !Is(TokenKind.LeftBracket))
        {
            throw Error("'('");
        }

        var stack = new Stack<TokenKind>();
        do
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.LeftParen:
                    stack.Push(TokenKind.RightParen);
                    break;
                case TokenKind.LeftBracket:
                    stack.Push(TokenKind.RightBracket);
                    break;
                case TokenKind.RightParen:
                case TokenKind.RightBracket:
                    if (stack.Count == 0 || stack.Peek() != token.Kind)
                    {
                        throw Error(stack.Count == 0 ? "'('" : Describe(stack.Peek()));
                    }

                    stack.Pop();
                    break;
                case TokenKind.EndOfFile:
                    throw Error(Describe(stack.Peek()));
            }

            Advance();
        }
        while (stack.Count > 0);
    }

    private SqlFragment Fragment(int startIndex, int endIndex)
    {
        if (endIndex <= startIndex)
        {
            return new SqlFragment(string.Empty, new TextSpan(_tokens[startIndex].Span.Start, 0), Array.Empty<Token>());
        }

        var span = TextSpan.FromBounds(_tokens[startIndex].Span.Start, _tokens[endIndex - 1].Span.End);
        return new SqlFragment(span.Slice(_text), span, _tokens.GetRange(startIndex, endIndex - startIndex).ToArray());
    }

    /// <summary>
    /// An option list <c>(name [=] value, …)</c> (when <paramref name="parenthesized"/>) or a bare
    /// comma-separated list running to the end of the statement. Values are kept as fragments.
    /// </summary>
    private List<SqlOption> ParseOptionList(bool parenthesized = true)
    {
        var options = new List<SqlOption>();
        if (parenthesized)
        {
            Expect(TokenKind.LeftParen);
            if (Accept(TokenKind.RightParen))
            {
                return options;
            }
        }

        while (true)
        {
            var itemStart = _pos;
            var nameWords = new List<string>();
            while (Is(TokenKind.Identifier) && !(nameWords.Count > 0 && Is("secret")))
            {
                var word = Advance().Value;
                nameWords.Add(word.ToUpperInvariant());
                if (word is "tunnel" or "privatelink" or "connection" or "null" && Current.IsWord)
                {
                    break;
                }
            }

            if (nameWords.Count == 0)
            {
                throw Error("option name");
            }

            var hasEquals = Current.IsOperator("=");
            if (hasEquals)
            {
                Advance();
            }

            var valueStart = _pos;
            SkipToListEnd();
            if (hasEquals && _pos == valueStart)
            {
                throw Error("option value");
            }

            var value = _pos > valueStart ? Fragment(valueStart, _pos) : null;
            var span = TextSpan.FromBounds(_tokens[itemStart].Span.Start, _tokens[_pos - 1].Span.End);
            options.Add(new SqlOption(string.Join(' ', nameWords), value, span));
            if (!Accept(TokenKind.Comma))
            {
                break;
            }
        }

        if (parenthesized)
        {
            Expect(TokenKind.RightParen);
        }

        return options;
    }

    /// <summary>Advances to the next ',' or ')' (or the end) outside any parentheses or brackets.</summary>
    private void SkipToListEnd()
    {
        while (!AtEnd && !Is(TokenKind.Comma) && !Is(TokenKind.RightParen) && !Is(TokenKind.RightBracket))
        {
            if (Is(TokenKind.LeftParen) || Is(TokenKind.LeftBracket))
            {
                SkipBalanced();
            }
            else
            {
                Advance();
            }
        }
    }
}

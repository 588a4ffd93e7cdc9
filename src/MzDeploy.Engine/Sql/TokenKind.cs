namespace MzDeploy.Engine.Sql;

/// <summary>The kinds of token the lexer produces.</summary>
public enum TokenKind
{
    /// <summary>An unquoted word: a keyword or an identifier. <see cref="Token.Value"/> is lower case.</summary>
    Identifier,

    /// <summary>A <c>"double quoted"</c> identifier. <see cref="Token.Value"/> is the name with <c>""</c> unescaped.</summary>
    QuotedIdentifier,

    /// <summary>A string literal (<c>'…'</c>, <c>E'…'</c> or dollar quoted). <see cref="Token.Value"/> is unescaped.</summary>
    String,

    /// <summary>A numeric literal such as <c>42</c>, <c>1.5</c>, <c>.5</c> or <c>1e-3</c>.</summary>
    Number,

    /// <summary>An operator such as <c>=</c>, <c>::</c>, <c>-&gt;&gt;</c>, <c>||</c> or a lone <c>:</c>.</summary>
    Operator,

    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    Semicolon,
    Dot,

    /// <summary>A positional parameter such as <c>$1</c>.</summary>
    Parameter,

    /// <summary>A psql-style variable <c>:name</c>, <c>:'name'</c> or <c>:"name"</c>; <see cref="Token.Value"/> is the name.</summary>
    Variable,

    /// <summary>A <c>--</c> or <c>/* */</c> comment (only in <see cref="LexResult.Comments"/>).</summary>
    Comment,

    /// <summary>The end of the text; always the last token.</summary>
    EndOfFile,
}

/// <summary>How a psql variable is written, which decides how its value is substituted.</summary>
public enum VariableStyle
{
    /// <summary>Not a variable.</summary>
    None,

    /// <summary><c>:name</c> — the value is inserted as is.</summary>
    Raw,

    /// <summary><c>:'name'</c> — the value is inserted as a string literal.</summary>
    Literal,

    /// <summary><c>:"name"</c> — the value is inserted as a quoted identifier.</summary>
    Identifier,
}

/// <summary>How a string literal is written.</summary>
public enum StringStyle
{
    /// <summary>Not a string.</summary>
    None,

    /// <summary><c>'…'</c> with <c>''</c> for a quote.</summary>
    Plain,

    /// <summary><c>E'…'</c> with backslash escapes.</summary>
    Escape,

    /// <summary><c>$$…$$</c> or <c>$tag$…$tag$</c>.</summary>
    Dollar,
}

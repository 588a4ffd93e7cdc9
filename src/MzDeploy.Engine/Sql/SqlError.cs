namespace MzDeploy.Engine.Sql;

/// <summary>A lexical or syntax error at <paramref name="Span"/> of the parsed text.</summary>
public sealed record SqlError(string Message, TextSpan Span)
{
    /// <summary>The error as a <see cref="Diagnostic"/> located in <paramref name="file"/>.</summary>
    public Diagnostic ToDiagnostic(string file, LineMap lines, string errorId = "SqlSyntaxError") =>
        new(errorId, Message, lines.ToLocation(file, Span.Start), file);

    public override string ToString() => $"{Span}: {Message}";
}

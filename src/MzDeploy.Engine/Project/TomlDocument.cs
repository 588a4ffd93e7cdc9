using MzDeploy.Engine.Errors;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;

namespace MzDeploy.Engine.Project;

/// <summary>
/// A parsed TOML file that remembers where every key was written, so configuration errors can point at
/// line and column. Used by project.toml and profiles.toml; each adds its own rules on top.
/// </summary>
internal sealed partial class TomlDocument
{
    private readonly TomlMetadataStore _metadata;

    private TomlDocument(TomlTable root, TomlMetadataStore metadata, string displayPath)
    {
        Root = root;
        _metadata = metadata;
        DisplayPath = displayPath;
    }

    public TomlTable Root { get; }

    /// <summary>The file name used in diagnostics (relative to the project root for project files).</summary>
    public string DisplayPath { get; }

    /// <summary>
    /// Parses <paramref name="text"/>. Syntax errors (including keys or tables defined twice) throw a
    /// <see cref="ConfigFileException"/> with <paramref name="error"/> and the line and column of each error.
    /// </summary>
    public static TomlDocument Parse(string text, string displayPath, string fullPath, ErrorDefinition error, Remedy remedy)
    {
        // The syntax parser validates what the object deserializer silently accepts (a key or table
        // defined twice), so it runs first and its errors are the ones reported.
        var syntax = SyntaxParser.Parse(text, displayPath, validate: true);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var syntaxErrors = syntax.Diagnostics
            .Where(d => d.Kind == Tomlyn.Syntax.DiagnosticMessageKind.Error)
            .Select(d => new Diagnostic(
                error.Id,
                $"invalid TOML: {WithoutSecrets(d.Message, d.Span.Start.Line, lines)}",
                new SourceLocation(displayPath, d.Span.Start.Line + 1, d.Span.Start.Column + 1),
                displayPath))
            .ToList();
        if (syntaxErrors.Count > 0)
        {
            throw new ConfigFileException(error, fullPath, syntaxErrors, remedy);
        }

        var metadata = new TomlMetadataStore();
        TomlTable? root;
        try
        {
            root = TomlSerializer.Deserialize<TomlTable>(text, new TomlSerializerOptions { MetadataStore = metadata, SourceName = displayPath });
        }
        catch (TomlException e)
        {
            var location = e.Line is int line ? new SourceLocation(displayPath, line, e.Column ?? 1) : null;
            throw new ConfigFileException(error, fullPath,
                [new Diagnostic(error.Id, $"invalid TOML: {WithoutSecrets(FirstLine(e.Message), (e.Line ?? 0) - 1, lines)}", location, displayPath)], remedy);
        }

        return new TomlDocument(root ?? new TomlTable(), metadata, displayPath);
    }

    /// <summary>Where <paramref name="key"/> of <paramref name="table"/> was written, when known.</summary>
    public SourceLocation? LocationOf(TomlTable table, string key)
    {
        if (_metadata.TryGetProperties(table, out var properties)
            && properties is not null
            && properties.TryGetProperty(key, out var property)
            && property is not null
            && property.Span.Length > 0)
        {
            // Tomlyn positions are 0-based; ours are 1-based.
            return new SourceLocation(DisplayPath, property.Span.Start.Line + 1, property.Span.Start.Column + 1);
        }

        return null;
    }

    /// <summary>The name of a TOML value's type, as a user writing TOML thinks of it.</summary>
    public static string TypeName(object? value) => value switch
    {
        string => "a string",
        long or int => "an integer",
        double or float => "a float",
        bool => "a boolean",
        TomlTable => "a table",
        TomlTableArray => "an array of tables",
        TomlArray => "an array",
        TomlDateTime or DateTime or DateTimeOffset => "a date-time",
        null => "empty",
        _ => value.GetType().Name,
    };

    /// <summary>
    /// Tomlyn quotes source text in its messages (<c>Unexpected token `s3cret`</c>, <c>already defined with
    /// `password = "s3cret"`</c>). Exception messages must never carry a password, so the quoted definition of
    /// a redefined key is dropped, and every quoted fragment is masked when the error is on a password line.
    /// </summary>
    internal static string WithoutSecrets(string message, int zeroBasedLine, IReadOnlyList<string> lines)
    {
        var cleaned = RedefinedWith().Replace(message, "");
        var referenced = new List<int> { zeroBasedLine + 1 };
        referenced.AddRange(LinePosition().Matches(message).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        var onPasswordLine = referenced.Any(line => line >= 1 && line <= lines.Count && PasswordLine().IsMatch(lines[line - 1]));
        if (!onPasswordLine || cleaned.StartsWith("The key `", StringComparison.Ordinal))
        {
            return cleaned;
        }

        return BacktickFragment().Replace(cleaned, "`…`");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@" with `[^`]*`(?= and cannot be redefined)")]
    private static partial System.Text.RegularExpressions.Regex RedefinedWith();

    [System.Text.RegularExpressions.GeneratedRegex(@"\((\d+),\d+\)")]
    private static partial System.Text.RegularExpressions.Regex LinePosition();

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*[""']?password[""']?\s*=", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex PasswordLine();

    [System.Text.RegularExpressions.GeneratedRegex("`[^`]*`")]
    private static partial System.Text.RegularExpressions.Regex BacktickFragment();

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}

using System.Text;
using System.Text.Json;
using MzDeploy.Engine.Errors;

namespace MzDeploy.Engine.TypeLock;

/// <summary>
/// Reads the JSON types.lock this tool wrote before it wrote mz-deploy's TOML: version 2
/// <c>{"version":2,"objects":{"db.schema.name":{"kind":"table","columns":{"column":{"type":"…","nullable":true}}}}}</c> and
/// version 1 <c>{"version":1,"objects":{"db.schema.name":{"column":{…}}}}</c>, no kind. The version decides the shape of
/// every object, wherever it stands in the file. Every problem is reported with file:line:column; keys it does not know
/// are ignored. A lock read from here is written back as TOML by the next lock.
/// </summary>
internal static class TypeLockJsonReader
{
    /// <summary>The JSON versions this build reads.</summary>
    private const int OldestVersion = 1;
    private const int NewestVersion = 2;

    public static TypeLockFile Parse(string text, string displayPath, string fullPath)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var parser = new LockParser(bytes, displayPath, fullPath);
        try
        {
            return parser.Read();
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            var column = (int)(e.BytePositionInLine ?? 0) + 1;
            throw TypeLockFormat.Invalid(displayPath, fullPath, line, column, $"invalid JSON: {FirstSentence(e.Message)}", e);
        }
    }

    // System.Text.Json appends " LineNumber: … | BytePositionInLine: …." to its messages; the location is ours to give.
    private static string FirstSentence(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (at < 0 ? message : message[..at]).TrimEnd();
    }

    /// <summary>A recursive-descent reader over <see cref="Utf8JsonReader"/> that knows where each token starts.</summary>
    private ref struct LockParser
    {
        private readonly ReadOnlySpan<byte> _bytes;
        private readonly string _displayPath;
        private readonly string _fullPath;
        private Utf8JsonReader _reader;

        public LockParser(ReadOnlySpan<byte> bytes, string displayPath, string fullPath)
        {
            _bytes = bytes;
            _displayPath = displayPath;
            _fullPath = fullPath;
            _reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        }

        public TypeLockFile Read()
        {
            // The version decides the objects' shape, and a hand-edited file may put it after them: look ahead for it on a
            // copy of the reader (a struct), then read for real; a bad version is reported by the real pass, with its place.
            var shape = PeekVersion(_reader) ?? NewestVersion;
            Next();
            Expect(JsonTokenType.StartObject, "the file must hold one JSON object");
            int? version = null;
            List<LockedObject>? objects = null;
            while (NextProperty() is { } key)
            {
                switch (key)
                {
                    case "version":
                        Next();
                        if (_reader.TokenType != JsonTokenType.Number || !_reader.TryGetInt32(out var v))
                        {
                            throw Error("'version' must be a whole number");
                        }

                        if (v is < OldestVersion or > NewestVersion)
                        {
                            throw Error($"version {v} is not supported: this build reads JSON types.lock versions "
                                        + $"{OldestVersion} to {NewestVersion} (and mz-deploy's TOML)");
                        }

                        version = v;
                        break;
                    case "objects":
                        Next();
                        objects = ReadObjects(shape);
                        break;
                    default:
                        Next();
                        _reader.Skip();
                        break;
                }
            }

            if (version is null)
            {
                throw Error("the file has no 'version'");
            }

            // The JSON reader itself refuses anything after the object (invalid JSON, with its position).
            _reader.Read();
            return new TypeLockFile(objects ?? []);
        }

        /// <summary>The top-level <c>version</c> when it is a whole number, read ahead on a copy of the reader.</summary>
        private static int? PeekVersion(Utf8JsonReader reader)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isVersion = reader.ValueTextEquals("version"u8);
                if (!reader.Read())
                {
                    return null;
                }

                if (isVersion)
                {
                    return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v) ? v : null;
                }

                reader.Skip();
            }

            return null;
        }

        private List<LockedObject> ReadObjects(int version)
        {
            Expect(JsonTokenType.StartObject, version == 1
                ? "'objects' must be an object of \"db.schema.name\": { columns }"
                : "'objects' must be an object of \"db.schema.name\": { \"kind\", \"columns\" }");
            var objects = new List<LockedObject>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (NextProperty() is { } name)
            {
                if (!seen.Add(name))
                {
                    throw Error($"object '{name}' appears twice");
                }

                Next();
                objects.Add(version == 1 ? new LockedObject(name, null, ReadColumns(name)) : ReadObject(name));
            }

            return objects;
        }

        /// <summary>A version 2 object: <c>{"kind": "…", "columns": {…}}</c>; both optional, unknown keys skipped.</summary>
        private LockedObject ReadObject(string name)
        {
            Expect(JsonTokenType.StartObject, $"object '{name}' must be an object with \"kind\" and \"columns\"");
            string? kind = null;
            IReadOnlyList<LockedColumn> columns = [];
            while (NextProperty() is { } key)
            {
                Next();
                switch (key)
                {
                    case "kind":
                        if (_reader.TokenType != JsonTokenType.String || _reader.GetString() is not { Length: > 0 } k)
                        {
                            throw Error($"the kind of '{name}' must be a non-empty string");
                        }

                        kind = k;
                        break;
                    case "columns":
                        columns = ReadColumns(name);
                        break;
                    default:
                        _reader.Skip();
                        break;
                }
            }

            return new LockedObject(name, kind, columns);
        }

        /// <summary>An object of <c>"column": { "type", "nullable" }</c>, in the file's order.</summary>
        private List<LockedColumn> ReadColumns(string name)
        {
            Expect(JsonTokenType.StartObject, $"the columns of '{name}' must be an object of \"column\": {{ \"type\", \"nullable\" }}");
            var columns = new List<LockedColumn>();
            var columnNames = new HashSet<string>(StringComparer.Ordinal);
            while (NextProperty() is { } column)
            {
                if (!columnNames.Add(column))
                {
                    throw Error($"column '{column}' of '{name}' appears twice");
                }

                Next();
                columns.Add(ReadColumn(name, column));
            }

            return columns;
        }

        private LockedColumn ReadColumn(string objectName, string column)
        {
            Expect(JsonTokenType.StartObject, $"column '{column}' of '{objectName}' must be an object with \"type\" and \"nullable\"");
            var start = Location();
            string? type = null;
            bool? nullable = null;
            while (NextProperty() is { } key)
            {
                Next();
                switch (key)
                {
                    case "type":
                        if (_reader.TokenType != JsonTokenType.String || _reader.GetString() is not { Length: > 0 } t)
                        {
                            throw Error($"the type of column '{column}' of '{objectName}' must be a non-empty string");
                        }

                        type = t;
                        break;
                    case "nullable":
                        if (_reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                        {
                            throw Error($"'nullable' of column '{column}' of '{objectName}' must be true or false");
                        }

                        nullable = _reader.GetBoolean();
                        break;
                    default:
                        _reader.Skip();
                        break;
                }
            }

            if (type is null)
            {
                throw TypeLockFormat.Invalid(_displayPath, _fullPath, start.Line, start.Column, $"column '{column}' of '{objectName}' has no \"type\"");
            }

            // mz-deploy treats a column without nullability as nullable: the safe assumption for a type check.
            return new LockedColumn(column, type, nullable ?? true);
        }

        /// <summary>The next property name of the current object, or null at its end.</summary>
        private string? NextProperty()
        {
            Next();
            return _reader.TokenType == JsonTokenType.EndObject ? null : _reader.GetString();
        }

        private void Next()
        {
            if (!_reader.Read())
            {
                throw Error("the file ends before the JSON is complete");
            }
        }

        private void Expect(JsonTokenType type, string message)
        {
            if (_reader.TokenType != type)
            {
                throw Error(message);
            }
        }

        private MzDeployException Error(string message)
        {
            var (line, column) = Location();
            return TypeLockFormat.Invalid(_displayPath, _fullPath, line, column, message);
        }

        /// <summary>1-based line and column of the current token (columns count characters, not bytes).</summary>
        private (int Line, int Column) Location()
        {
            var end = (int)Math.Min(_reader.TokenStartIndex, _bytes.Length);
            var line = 1;
            var lineStart = 0;
            for (var i = 0; i < end; i++)
            {
                if (_bytes[i] == (byte)'\n')
                {
                    line++;
                    lineStart = i + 1;
                }
            }

            return (line, Encoding.UTF8.GetCharCount(_bytes[lineStart..end]) + 1);
        }
    }
}

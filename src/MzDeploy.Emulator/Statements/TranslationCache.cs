using System.Collections.Concurrent;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// One statement of a client's query string and the emulator's translation of it. <see cref="Text"/> is the
/// statement as the log records it: a secret's value masked (<see cref="SecretStatements.Redact"/>).
/// </summary>
internal sealed record TranslatedStatement(string Text, Translation Translation);

/// <summary>
/// Translations of whole query strings, shared by all sessions. A translation depends only on the text
/// and the session's current database (unqualified names are left to PostgreSQL's search path, which
/// the session keeps in step itself), so that pair is the key. Bounded: cleared when full.
/// </summary>
internal static class TranslationCache
{
    private const int MaxEntries = 2048;
    private const int MaxTextLength = 8 * 1024;

    private static readonly ConcurrentDictionary<(string Database, string Sql), TranslatedStatement[]> Entries = new();

    /// <summary>Splits <paramref name="sql"/> into statements and translates each (see <see cref="StatementTranslator"/>).</summary>
    public static TranslatedStatement[] Translate(string sql, string database)
    {
        if (Entries.TryGetValue((database, sql), out var cached))
            return cached;
        var translated = LexedStatement.Split(sql)
            .Select(s => new TranslatedStatement(SecretStatements.Redact(s), StatementTranslator.Translate(s, database)))
            .ToArray();
        if (sql.Length <= MaxTextLength)
        {
            if (Entries.Count >= MaxEntries)
                Entries.Clear();
            Entries[(database, sql)] = translated;
        }
        return translated;
    }
}

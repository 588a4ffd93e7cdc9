using System.Text;

namespace MzDeploy.Emulator.Statements;

/// <summary>The one place the emulator quotes identifiers and literals in the SQL it generates.</summary>
internal static class SqlText
{
    /// <summary>A standard-conforming string literal.</summary>
    public static string Literal(string? value) =>
        value == null ? "NULL" : "'" + value.Replace("'", "''") + "'";

    /// <summary>A quoted identifier (always quoted: generated SQL needs no beauty).</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    public static string Bool(bool value) => value ? "true" : "false";

    public static string TextArray(IReadOnlyList<string>? values) =>
        values == null ? "NULL::text[]" : "ARRAY[" + string.Join(", ", values.Select(Literal)) + "]::text[]";

    /// <summary>A statement that fails with the given SQLSTATE and message when PostgreSQL runs it.</summary>
    public static string RaiseStatement(string sqlState, string message)
    {
        var tag = "$mz$";
        for (var i = 0; message.Contains(tag); i++)
            tag = $"$mz{i}$";
        var body = new StringBuilder()
            .Append("BEGIN RAISE EXCEPTION USING MESSAGE = ").Append(Literal(message))
            .Append(", ERRCODE = ").Append(Literal(sqlState)).Append("; END");
        return "DO " + tag + body + tag;
    }

    /// <summary>
    /// The PostgreSQL schema of a Materialize (database, schema) pair: the database name with '\' and
    /// '.' escaped by '\', a '.', then the schema name. Mirrors mz_emulator.pg_schema in Bootstrap/10-session.sql.
    /// </summary>
    public static string PgSchema(string database, string schema) =>
        database.Replace("\\", "\\\\").Replace(".", "\\.") + "." + schema;

    /// <summary>
    /// The PostgreSQL search_path for Materialize's <paramref name="searchPath"/> (comma-separated schema
    /// names, default <c>public</c>) in <paramref name="database"/>; pg_catalog last, so mz_catalog's
    /// functions shadow built-ins. Mirrors mz_emulator.pg_search_path.
    /// </summary>
    public static string SearchPath(string database, string? searchPath = null)
    {
        var schemas = (string.IsNullOrWhiteSpace(searchPath) ? "public" : searchPath)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(", ", schemas.Select(s =>
            Identifier(s is "mz_catalog" or "mz_internal" or "pg_catalog" or "information_schema" ? s : PgSchema(database, s))))
            + ", mz_catalog, pg_catalog";
    }
}

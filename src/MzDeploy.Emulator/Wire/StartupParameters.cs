using System.Text;

namespace MzDeploy.Emulator.Wire;

/// <summary>
/// The client's StartupMessage, mapped onto the backend's: every Materialize database lives in the one
/// PostgreSQL database, the current database and cluster become the custom GUCs mz.database / mz.cluster,
/// and the search path names the current database's schemas.
/// </summary>
internal sealed class StartupParameters
{
    // Materialize session variables PostgreSQL does not know, kept as mz.<name>.
    private static readonly HashSet<string> MaterializeVariables =
        ["cluster", "cluster_replica", "enable_session_rbac_checks", "auto_route_catalog_queries", "welcome_message",
         "real_time_recency", "emit_timestamp_notice", "emit_trace_id_notice", "statement_logging_sample_rate",
         "transaction_isolation"];

    public required string User { get; init; }
    public required string Database { get; init; }
    public string? Cluster { get; init; }
    public required Dictionary<string, string> Settings { get; init; }
    public required Dictionary<string, string> Passthrough { get; init; }

    public static StartupParameters Parse(byte[] body)
    {
        var r = new BodyReader(body);
        r.Int32(); // protocol version
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        while (!r.AtEnd)
        {
            var name = r.CString();
            if (name.Length == 0)
                break;
            parameters[name] = r.CString();
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parameters.Remove("options", out var options))
        {
            foreach (var (name, value) in ParseOptions(options))
                settings[name.ToLowerInvariant()] = value;
        }
        var user = parameters.Remove("user", out var u) ? u : throw new EmulatorException("no user specified");
        var database = parameters.Remove("database", out var d) && d.Length > 0 ? d : "materialize";
        if (settings.Remove("database", out var db))
            database = db;
        settings.Remove("cluster", out var cluster);
        parameters.Remove("replication");
        return new StartupParameters
        {
            User = user,
            Database = database,
            Cluster = cluster,
            Settings = settings,
            Passthrough = parameters,
        };
    }

    /// <summary>The StartupMessage the proxy sends to PostgreSQL on the client's behalf.</summary>
    public PgMessage BackendStartup(string pgDatabase)
    {
        Settings.TryGetValue("search_path", out var searchPath);
        var options = new List<string>
        {
            "-c", Escape("mz.database=" + Database),
            "-c", Escape("search_path=" + Statements.SqlText.SearchPath(Database, searchPath)),
        };
        if (searchPath != null)
            options.AddRange(["-c", Escape("mz.search_path=" + searchPath)]);
        if (Cluster != null)
            options.AddRange(["-c", Escape("mz.cluster=" + Cluster)]);
        // Session RBAC checks on at connection time: not the RBAC-off default role (Bootstrap/80-rbac.sql).
        if (Settings.TryGetValue("enable_session_rbac_checks", out var sessionRbac) && sessionRbac.ToLowerInvariant() is "on" or "true" or "1")
            options.AddRange(["-c", "role=none"]);
        foreach (var (name, value) in Settings)
        {
            if (name == "search_path")
                continue; // mapped above
            var pgName = MaterializeVariables.Contains(name) ? "mz." + name : name;
            options.AddRange(["-c", Escape(pgName + "=" + value)]);
        }

        var w = new BodyWriter().Int32(196608);
        w.CString("user").CString(User);
        w.CString("database").CString(pgDatabase);
        w.CString("options").CString(string.Join(' ', options));
        foreach (var (name, value) in Passthrough)
            w.CString(name).CString(value);
        w.Byte(0);
        return w.BuildUntyped();
    }

    /// <summary>Parses <c>-c name=value</c>, <c>-cname=value</c> and <c>--name=value</c> (backslash escapes spaces).</summary>
    internal static IEnumerable<(string Name, string Value)> ParseOptions(string options)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var any = false;
        for (var i = 0; i < options.Length; i++)
        {
            var ch = options[i];
            if (ch == '\\' && i + 1 < options.Length)
            { current.Append(options[++i]); any = true; }
            else if (char.IsWhiteSpace(ch))
            {
                if (any)
                    words.Add(current.ToString());
                current.Clear();
                any = false;
            }
            else
            { current.Append(ch); any = true; }
        }
        if (any)
            words.Add(current.ToString());

        for (var k = 0; k < words.Count; k++)
        {
            string? assignment = null;
            if (words[k] == "-c" && k + 1 < words.Count)
                assignment = words[++k];
            else if (words[k].StartsWith("-c", StringComparison.Ordinal))
                assignment = words[k][2..];
            else if (words[k].StartsWith("--", StringComparison.Ordinal))
                assignment = words[k][2..];
            if (assignment == null)
                continue;
            var eq = assignment.IndexOf('=');
            if (eq <= 0)
                continue;
            yield return (assignment[..eq].Replace('-', '_'), assignment[(eq + 1)..]);
        }
    }

    private static string Escape(string value)
    {
        var b = new StringBuilder();
        foreach (var ch in value)
        {
            if (ch == '\\' || char.IsWhiteSpace(ch))
                b.Append('\\');
            b.Append(ch);
        }
        return b.ToString();
    }
}

namespace MzDeploy.Engine.Sql;

/// <summary>
/// The keyword lists of the SQL front end, in one place.
/// <para>
/// Both lists feed the canonical form that object hashes are computed from: adding or removing a word
/// changes the canonical text of statements that use it, and therefore their hashes (a one-time
/// redeploy of those objects). Change them deliberately.
/// </para>
/// </summary>
internal static class SqlKeywords
{
    /// <summary>
    /// Words that must be double-quoted to be used as identifiers. Materialize accepts many keywords as
    /// identifiers, but which ones depends on the position, so this list is deliberately conservative
    /// (PostgreSQL's reserved and type/function-name keywords plus Materialize's clause words):
    /// quoting a name that did not need it is always harmless.
    /// </summary>
    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "at", "authorization",
        "between", "binary", "both", "by", "case", "cast", "check", "collate", "collation", "column",
        "concurrently", "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
        "current_schema", "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc",
        "distinct", "do", "else", "end", "except", "exists", "extract", "false", "fetch", "filter", "for",
        "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner",
        "intersect", "interval", "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit",
        "list", "localtime", "localtimestamp", "map", "natural", "not", "notnull", "null", "offset", "on",
        "only", "options", "or", "order", "outer", "over", "overlaps", "placing", "primary", "references",
        "returning", "right", "row", "select", "session_user", "similar", "some", "symmetric", "table",
        "tablesample", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic",
        "verbose", "when", "where", "window", "with", "within",
    };

    /// <summary>
    /// Every word the canonical printer writes in upper case when it appears outside a name position
    /// (keywords of statements, clauses, types and options). Words not listed print in lower case.
    /// </summary>
    public static IReadOnlySet<string> All { get; } = BuildAll();

    /// <summary>Whether <paramref name="word"/> (lower case) must be quoted as an identifier.</summary>
    public static bool IsReserved(string word) => Reserved.Contains(word);

    /// <summary>Whether <paramref name="word"/> (lower case) is a keyword of any kind.</summary>
    public static bool IsKeyword(string word) => All.Contains(word);

    private static HashSet<string> BuildAll()
    {
        var all = new HashSet<string>(Reserved, StringComparer.Ordinal);
        foreach (var word in """
            abort access action add after aggregate aligned alter always apply api arrangement assert attribute
            auction avro aws begin bigint body boolean bool brokers bytes cascade catalog certificate char character
            characters chain cluster clusters columns comment commit committed compression confluent connection
            connections constraints copy counter csv current cycle data database databases date day days debezium
            decimal declare delete delimited details direction discard document double drop enforced envelope error
            escape every execute expected explain expose external factor first float following format generator
            grants headers hour hours identifiers if include index indexes inherit insert int integer introspection
            isolation json jsonb kafka key keys last level load local login managed marketing materialized minute
            minutes mock month months mutually mysql name names network next no nologin none nosuperuser nulls numeric
            object objects of ordinality others owned owner partition password policies policy port postgres
            precision preceding privatelink privileges progress publication range read real recursion recursive
            refresh registry rename replace replacement replica replicas replication reset restrict retain return
            revoke role roles rollback rows rules schedule schema schemas second seconds secret secrets sequence
            serializable server session set show sink sinks size smallint snapshot source sources sql ssh ssl
            stable start strict string subscribe superuser swap system tables temp temporary test text ties time
            timestamp timestamptz timezone topic transaction tunnel type types uint2 uint4 uint8 unbounded
            uncommitted until update upsert usage validate value values varchar varying view views wait webhook
            without work year years zone
            """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            all.Add(word);
        }

        return all;
    }
}

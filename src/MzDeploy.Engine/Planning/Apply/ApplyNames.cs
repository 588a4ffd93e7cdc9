using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning.Apply;

/// <summary>
/// Production names for apply — the profile suffix on project databases and clusters, roles and network policies
/// as written — and the rewriting of a project statement to them: its own name and every reference to a project
/// object fully qualified, <c>IN CLUSTER</c> to the production cluster, every name through
/// <see cref="SqlIdentifier.Quote"/>, all other text byte for byte.
/// </summary>
internal sealed class ApplyNames
{
    private readonly string _suffix;
    private readonly HashSet<ObjectId> _projectObjects;

    public ApplyNames(string? profileSuffix, IEnumerable<ObjectId> projectObjects)
    {
        _suffix = profileSuffix ?? string.Empty;
        _projectObjects = projectObjects.ToHashSet();
    }

    public string Cluster(string projectCluster) => projectCluster + _suffix;

    public string Database(string projectDatabase) => projectDatabase + _suffix;

    /// <summary>The production name of a project object; other objects (declared dependencies) keep theirs.</summary>
    public ObjectId Production(ObjectId id) => _projectObjects.Contains(id) ? id with { Database = Database(id.Database) } : id;

    public static string Quote(ObjectId id) => id.Database.Length == 0
        ? $"{SqlIdentifier.Quote(id.Schema)}.{SqlIdentifier.Quote(id.Name)}"
        : $"{SqlIdentifier.Quote(id.Database)}.{SqlIdentifier.Quote(id.Schema)}.{SqlIdentifier.Quote(id.Name)}";

    /// <summary>A statement of <paramref name="owner"/>'s file with production names.</summary>
    public string Rewrite(CompiledObject owner, SqlStatement statement)
    {
        var edits = ReferenceEdits(owner, statement, statement.Span);
        if (statement.Name is { } name && ReferenceEquals(statement, owner.Statement))
        {
            edits[name.Span] = Quote(Production(owner.Id));
        }

        if (statement.InCluster is { } cluster)
        {
            edits[cluster.Span] = SqlIdentifier.Quote(Cluster(cluster.Value));
        }

        return Apply(statement.Text, statement.Span.Start, edits);
    }

    /// <summary>A fragment of <paramref name="owner"/>'s primary statement (an option's value) with production names.</summary>
    public string Rewrite(CompiledObject owner, SqlFragment fragment) =>
        Apply(fragment.Text, fragment.Span.Start, ReferenceEdits(owner, owner.Statement, fragment.Span));

    /// <summary>A cluster, role or network policy statement with its own name replaced by <paramref name="productionName"/>.</summary>
    public static string RewriteName(SqlStatement statement, string productionName)
    {
        var edits = new Dictionary<TextSpan, string>();
        if (statement.Name is { } name)
        {
            edits[name.Span] = SqlIdentifier.Quote(productionName);
        }

        return Apply(statement.Text, statement.Span.Start, edits);
    }

    private Dictionary<TextSpan, string> ReferenceEdits(CompiledObject owner, SqlStatement statement, TextSpan within)
    {
        var edits = new Dictionary<TextSpan, string>();
        var spans = statement.References.Select(r => r.Span).ToList();
        if (statement.Target is { } target)
        {
            spans.Add(target.Span);
        }

        foreach (var span in spans)
        {
            if (span.Start >= within.Start && span.End <= within.End
                && owner.ResolvedReferences.TryGetValue(span, out var id) && id.Database.Length > 0)
            {
                edits[span] = Quote(Production(id));
            }
        }

        return edits;
    }

    private static string Apply(string text, int start, Dictionary<TextSpan, string> edits) =>
        SqlRewriter.Apply(text, edits.Select(e => (new TextSpan(e.Key.Start - start, e.Key.Length), e.Value)));
}

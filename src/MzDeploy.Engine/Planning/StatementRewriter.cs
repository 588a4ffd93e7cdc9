using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning;

/// <summary>
/// Rewrites a project statement for execution by span, leaving all other text byte for byte. Every reference to
/// a project object or declared dependency becomes fully qualified (a session has no search path into the
/// project's databases); project objects get production names (profile suffix on the database), or their copy's
/// name when they are copied in this run (a stage's staging schema, a dev overlay's database); system objects stay
/// as written; <c>IN CLUSTER</c> becomes the cluster the caller picks.
/// </summary>
internal sealed class StatementRewriter
{
    private readonly Func<ObjectId, ObjectId> _production;
    private readonly Func<ObjectId, ObjectId> _copy;
    private readonly IReadOnlySet<ObjectId> _projectObjects;
    private readonly IReadOnlySet<ObjectId> _copied;
    private readonly StagingNames? _names;

    /// <param name="names">The deployment's names.</param>
    /// <param name="projectObjects">Every object the project defines.</param>
    /// <param name="staged">Objects created in staging schemas in this run (references to them point at staging).</param>
    public StatementRewriter(StagingNames names, IReadOnlySet<ObjectId> projectObjects, IReadOnlySet<ObjectId> staged)
        : this(names.Production, names.Staging, projectObjects, staged)
    {
        _names = names;
    }

    /// <param name="production">The production name of a project object.</param>
    /// <param name="copy">The name of a project object copied in this run.</param>
    /// <param name="projectObjects">Every object the project defines.</param>
    /// <param name="copied">Objects copied in this run (references to them point at <paramref name="copy"/>).</param>
    public StatementRewriter(Func<ObjectId, ObjectId> production, Func<ObjectId, ObjectId> copy, IReadOnlySet<ObjectId> projectObjects,
        IReadOnlySet<ObjectId> copied)
    {
        _production = production;
        _copy = copy;
        _projectObjects = projectObjects;
        _copied = copied;
    }

    /// <summary>
    /// <paramref name="statement"/> of <paramref name="owner"/>'s file, rewritten.
    /// </summary>
    /// <param name="owner">The object whose file holds the statement.</param>
    /// <param name="statement">The statement (primary or companion).</param>
    /// <param name="newName">Replacement text for the statement's own name, when it has one to rewrite.</param>
    /// <param name="stagingClusters">Whether <c>IN CLUSTER</c> goes to the staging clone (else production).</param>
    public string Rewrite(CompiledObject owner, SqlStatement statement, string? newName, bool stagingClusters)
    {
        var names = _names ?? throw new InvalidOperationException("a rewriter without deployment names places clusters explicitly");
        return Rewrite(owner, statement, newName,
            cluster => SqlIdentifier.QuoteIfNeeded(stagingClusters ? names.StagingCluster(cluster) : names.ProductionCluster(cluster)));
    }

    /// <summary>
    /// <paramref name="statement"/> of <paramref name="owner"/>'s file, rewritten, its <c>IN CLUSTER</c> (when it has one)
    /// replaced by <paramref name="cluster"/>'s quoted text for the cluster the file names.
    /// </summary>
    /// <param name="owner">The object whose file holds the statement.</param>
    /// <param name="statement">The statement (primary or companion).</param>
    /// <param name="newName">Replacement text for the statement's own name, when it has one to rewrite.</param>
    /// <param name="cluster">The quoted cluster to write for the cluster the statement names.</param>
    /// <param name="clusterWhenMissing">For a materialized view or index without <c>IN CLUSTER</c>: the quoted cluster to add
    /// (else it would run on whatever cluster the session uses).</param>
    public string Rewrite(CompiledObject owner, SqlStatement statement, string? newName, Func<string, string> cluster,
        string? clusterWhenMissing = null)
    {
        var edits = new Dictionary<TextSpan, string>();
        if (newName is not null && statement.Name is { } name)
        {
            edits[name.Span] = newName;
        }

        if (statement.InCluster is { } inCluster)
        {
            edits[inCluster.Span] = cluster(inCluster.Value);
        }
        else if (clusterWhenMissing is not null && ClusterClauseOffset(statement) is { } offset)
        {
            edits[new TextSpan(offset, 0)] = $"IN CLUSTER {clusterWhenMissing} ";
        }

        var spans = statement.References.Select(r => r.Span).ToList();
        if (statement.Target is { } target)
        {
            spans.Add(target.Span);
        }

        foreach (var span in spans)
        {
            if (edits.ContainsKey(span) || !owner.ResolvedReferences.TryGetValue(span, out var id) || id.Database.Length == 0)
            {
                continue;
            }

            edits[span] = QualifiedName(id);
        }

        var start = statement.Span.Start;
        return SqlRewriter.Apply(statement.Text, edits.Select(e => (new TextSpan(e.Key.Start - start, e.Key.Length), e.Value)));
    }

    // Where IN CLUSTER goes in a statement that has none: before ON in CREATE INDEX, before WITH or AS (after the name
    // and its column list) in CREATE MATERIALIZED VIEW. Null for statements that take no cluster.
    private static int? ClusterClauseOffset(SqlStatement statement)
    {
        var words = statement.Kind switch
        {
            StatementKind.CreateIndex => new[] { "ON" },
            StatementKind.CreateMaterializedView => new[] { "WITH", "AS" },
            _ => null,
        };
        if (words is null)
        {
            return null;
        }

        var after = statement.Kind == StatementKind.CreateIndex ? statement.Span.Start : statement.Name?.Span.End ?? statement.Span.Start;
        var depth = 0;
        foreach (var token in statement.Tokens)
        {
            if (token.Span.Start < after)
            {
                continue;
            }

            depth += token.Text == "(" ? 1 : token.Text == ")" ? -1 : 0;
            if (depth == 0 && words.Any(token.IsKeyword))
            {
                return token.Span.Start;
            }
        }

        return null;
    }

    /// <summary>The name a reference to <paramref name="id"/> is written as.</summary>
    public string QualifiedName(ObjectId id)
    {
        var target = !_projectObjects.Contains(id) ? id
            : _copied.Contains(id) ? _copy(id)
            : _production(id);
        return SqlIdentifier.QuoteQualified(target.Database, target.Schema, target.Name);
    }
}

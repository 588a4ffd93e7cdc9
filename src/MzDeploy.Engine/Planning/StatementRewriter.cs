using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning;

/// <summary>
/// Rewrites a project statement for execution by span, leaving all other text byte for byte. Every reference to
/// a project object or declared dependency becomes fully qualified (a session has no search path into the
/// project's databases); project objects get production names (profile suffix on the database), or staging
/// names when they are staged in this run; system objects stay as written; <c>IN CLUSTER</c> becomes the staging
/// or production cluster.
/// </summary>
internal sealed class StatementRewriter
{
    private readonly StagingNames _names;
    private readonly IReadOnlySet<ObjectId> _projectObjects;
    private readonly IReadOnlySet<ObjectId> _staged;

    /// <param name="names">The deployment's names.</param>
    /// <param name="projectObjects">Every object the project defines.</param>
    /// <param name="staged">Objects created in staging schemas in this run (references to them point at staging).</param>
    public StatementRewriter(StagingNames names, IReadOnlySet<ObjectId> projectObjects, IReadOnlySet<ObjectId> staged)
    {
        _names = names;
        _projectObjects = projectObjects;
        _staged = staged;
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
        var edits = new Dictionary<TextSpan, string>();
        if (newName is not null && statement.Name is { } name)
        {
            edits[name.Span] = newName;
        }

        if (statement.InCluster is { } cluster)
        {
            edits[cluster.Span] = SqlIdentifier.QuoteIfNeeded(
                stagingClusters ? _names.StagingCluster(cluster.Value) : _names.ProductionCluster(cluster.Value));
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

    /// <summary>The name a reference to <paramref name="id"/> is written as.</summary>
    public string QualifiedName(ObjectId id)
    {
        var target = !_projectObjects.Contains(id) ? id
            : _staged.Contains(id) ? _names.Staging(id)
            : _names.Production(id);
        return SqlIdentifier.QuoteQualified(target.Database, target.Schema, target.Name);
    }
}

using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Compile;

/// <summary>
/// Computes object hashes from the canonical form of each statement with every resolved name written
/// fully qualified, so <c>FROM orders</c> and <c>FROM materialize.public.orders</c> hash alike while any
/// change of meaning (a literal, a name, an <c>IN CLUSTER</c>, an index) changes the hash.
/// A secret's value is the exception: it is hashed as a fixed placeholder, because an unsalted SHA-256
/// of <c>CREATE SECRET s AS 'value'</c> in the build's output would let anyone who sees the hash
/// guess a weak secret offline. So changing a secret's value does not change its hash: secrets are never
/// staged, and rotating one is apply's job (it always sets the value), not stage's.
/// </summary>
internal static class ObjectHasher
{
    /// <summary>What a secret's value is hashed as, whatever it is.</summary>
    internal const string SecretValuePlaceholder = "'<secret value>'";

    public static string Hash(CompiledObject compiled)
    {
        var main = CanonicalPrinter.Render(compiled.Statement, Replacements(compiled, compiled.Statement));
        var indexes = compiled.Indexes.Select(i => CanonicalPrinter.Render(i, Replacements(compiled, i)));
        return ObjectHash.Compute(main, indexes);
    }

    private static Dictionary<TextSpan, string> Replacements(CompiledObject compiled, SqlStatement statement)
    {
        var map = new Dictionary<TextSpan, string>();
        if (statement == compiled.Statement && statement.Name is { } name)
        {
            map[name.Span] = Qualified(compiled.Id);
        }

        if (statement is CreateSecretStatement secret)
        {
            map[secret.Value.Span] = SecretValuePlaceholder;
        }

        foreach (var reference in statement.References)
        {
            if (compiled.ResolvedReferences.TryGetValue(reference.Span, out var id))
            {
                map[reference.Span] = Qualified(id);
            }
        }

        return map;
    }

    // Same text as SqlIdentifier.QuoteQualified, built with one allocation (hashing renders every reference).
    private static string Qualified(ObjectId id) =>
        id.Database.Length == 0
            ? string.Concat(SqlIdentifier.QuoteIfNeeded(id.Schema), ".", SqlIdentifier.QuoteIfNeeded(id.Name))
            : string.Concat(SqlIdentifier.QuoteIfNeeded(id.Database), ".", SqlIdentifier.QuoteIfNeeded(id.Schema), ".", SqlIdentifier.QuoteIfNeeded(id.Name));
}

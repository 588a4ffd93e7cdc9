using MzDeploy.Engine.Project;

namespace MzDeploy.Engine.Planning.Apply;

/// <summary>
/// One statement of an apply plan. <see cref="Sql"/> is what every display shows; for a statement that carries a
/// secret (a secret's value, a role's password) it shows <c>'***'</c> in the value's place, and the statement to
/// run is kept apart in a <see cref="SecretString"/> that only <see cref="Reveal"/> opens — so no ToString,
/// formatting, log or exception can print the value by accident.
/// </summary>
public sealed class ApplyStatement
{
    /// <summary>What a secret value shows as in every display.</summary>
    public const string Mask = "'***'";

    private readonly SecretString? _secretSql;

    /// <summary>A statement without secrets: shown and run as is.</summary>
    public ApplyStatement(string sql)
    {
        ArgumentException.ThrowIfNullOrEmpty(sql);
        Sql = sql;
    }

    /// <summary>A statement that carries a secret: <paramref name="maskedSql"/> is shown, <paramref name="secretSql"/> is run.</summary>
    public ApplyStatement(string maskedSql, SecretString secretSql)
    {
        ArgumentException.ThrowIfNullOrEmpty(maskedSql);
        Sql = maskedSql;
        _secretSql = secretSql ?? throw new ArgumentNullException(nameof(secretSql));
    }

    /// <summary>The statement as displayed (previews, results, logs): secret values masked.</summary>
    public string Sql { get; }

    /// <summary>Whether the statement carries a secret value (then <see cref="Sql"/> is masked).</summary>
    public bool HasSecret => _secretSql is not null;

    /// <summary>The statement to send, still wrapped, for the executor; null when the statement carries no secret.</summary>
    internal SecretString? SecretSql => _secretSql;

    /// <summary>The statement to send to Materialize, secret included. Call it only where the statement is executed.</summary>
    public string Reveal() => _secretSql?.Reveal() ?? Sql;

    public override string ToString() => Sql;
}

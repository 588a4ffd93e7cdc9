using MzDeploy.Engine.Model;
using MzDeploy.Engine.Project;

namespace MzDeploy.Engine.Planning.Apply;

/// <summary>What an apply plan covers and where secret values come from.</summary>
public sealed record ApplyOptions
{
    /// <summary>The kinds to plan; null or empty plans every kind.</summary>
    public IReadOnlySet<InfrastructureKind>? Types { get; init; }

    /// <summary>Leave secrets out entirely : no secret is read, resolved, created or altered.</summary>
    public bool SkipSecrets { get; init; }

    /// <summary>
    /// Values given explicitly by the caller, by the secret's project name <c>db.schema.name</c>. They win over the
    /// file's value, and a secret that already exists is altered to the value given.
    /// </summary>
    public IReadOnlyDictionary<string, SecretString> SecretValues { get; init; } = new Dictionary<string, SecretString>(StringComparer.Ordinal);

    /// <summary>
    /// Alter every existing secret to its resolved value. Off by default: a secret's value cannot be read back, so
    /// without this a re-run leaves existing secrets alone and stays free of DDL.
    /// </summary>
    public bool ConvergeSecretValues { get; init; }

    /// <summary>Where <c>env_var('NAME')</c> reads from.</summary>
    public IEnvironment Environment { get; init; } = ProcessEnvironment.Instance;

    /// <summary>Whether <paramref name="type"/> is planned.</summary>
    public bool Includes(InfrastructureKind type) =>
        (Types is null || Types.Count == 0 || Types.Contains(type)) && !(SkipSecrets && type == InfrastructureKind.Secret);
}

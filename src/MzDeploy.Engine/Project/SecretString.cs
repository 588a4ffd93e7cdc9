using System.Diagnostics;

namespace MzDeploy.Engine.Project;

/// <summary>
/// A secret (a password) that never shows itself by accident: <see cref="ToString"/>, debugger views and
/// record printing all render <c>********</c>. Code that really needs the value calls <see cref="Reveal"/>,
/// which makes every place a secret leaves its wrapper easy to find.
/// </summary>
[DebuggerDisplay("********")]
public sealed class SecretString : IEquatable<SecretString>
{
    /// <summary>What every description of a secret shows instead of the value.</summary>
    public const string Redacted = "********";

    private readonly string _value;

    public SecretString(string value)
    {
        _value = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The secret value. Call it only where the value is handed to a driver.</summary>
    public string Reveal() => _value;

    public override string ToString() => Redacted;

    public bool Equals(SecretString? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as SecretString);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}

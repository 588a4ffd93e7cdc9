using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Engine.Model;

/// <summary>
/// A deploy ID, validated once when it is made (<see cref="Parse"/>, <see cref="TryParse"/>), so code holding one
/// never checks it again. An ID becomes the suffix <c>_&lt;id&gt;</c> of staging schema and cluster names, so it is
/// lower case (an unquoted identifier folds to lower case; upper case would make the staged and the typed name
/// differ) and short enough that every suffixed name stays a valid identifier. Converts to its text implicitly (every
/// deploy ID is a valid string; the other way round needs <see cref="Parse"/>).
/// </summary>
public readonly partial record struct DeployId
{
    /// <summary>The pattern a deploy ID must match.</summary>
    public const string Pattern = "^[a-z0-9][a-z0-9_-]{0,62}$";

    /// <summary>Materialize's identifier limit, in UTF-8 bytes.</summary>
    public const int MaxIdentifierBytes = 255;

    private readonly string? _value;

    private DeployId(string value) => _value = value;

    /// <summary>The ID's text. A <c>default</c> instance (never produced by parsing) is empty.</summary>
    public string Value => _value ?? "";

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex PatternRegex();

    /// <summary>Whether <paramref name="deployId"/> matches <see cref="Pattern"/>.</summary>
    public static bool IsValid([NotNullWhen(true)] string? deployId) => deployId is not null && PatternRegex().IsMatch(deployId);

    /// <summary>The deploy ID <paramref name="text"/>, or throws <c>InvalidDeployId</c> naming the rule it breaks.</summary>
    /// <exception cref="MzDeployException">The text does not match <see cref="Pattern"/>.</exception>
    public static DeployId Parse(string? text)
    {
        if (IsValid(text))
        {
            return new DeployId(text);
        }

        var deployId = text;
        var shown = deployId ?? "(null)";
        var reason = string.IsNullOrEmpty(deployId) ? "it is empty"
            : deployId.Length > 63 ? $"it is {deployId.Length} characters long; at most 63 are allowed"
            : deployId.Any(char.IsUpper) ? "it contains upper-case letters; deploy IDs are lower case because they become identifier suffixes"
            : deployId[0] is '_' or '-' ? "it must start with a lower-case letter or a digit"
            : "only lower-case letters, digits, '_' and '-' are allowed";
        throw new MzDeployException(ErrorIds.InvalidDeployId,
            $"'{shown}' is not a valid deploy ID: {reason} (pattern {Pattern})", deployId,
            new PickValidDeployId());
    }

    /// <summary>Parses without throwing: false when <paramref name="text"/> does not match <see cref="Pattern"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DeployId deployId)
    {
        deployId = IsValid(text) ? new DeployId(text) : default;
        return deployId._value is not null;
    }

    public override string ToString() => Value;

    public static implicit operator string(DeployId deployId) => deployId.Value;

    /// <summary>
    /// Throws <c>InvalidDeployId</c> when <paramref name="name"/> (a name carrying this ID's suffix) is longer than
    /// <see cref="MaxIdentifierBytes"/> UTF-8 bytes.
    /// </summary>
    internal string CheckLength(string name)
    {
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes <= MaxIdentifierBytes)
        {
            return name;
        }

        var deployId = Value;
        throw new MzDeployException(ErrorIds.InvalidDeployId,
            $"deploy ID '{deployId}' makes the name '{name}' {bytes} bytes long, over Materialize's {MaxIdentifierBytes}-byte identifier limit",
            deployId, new Advice("Use a shorter deploy ID, or shorten the schema or cluster name."));
    }
}

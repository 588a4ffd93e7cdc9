using System.Text.RegularExpressions;
using System.Text;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Engine.Model;

/// <summary>
/// Rules for deploy IDs. An ID becomes the suffix <c>_&lt;id&gt;</c> of staging schema and cluster names,
/// so it is lower case (an unquoted identifier folds to lower case; upper case would make the staged and
/// the typed name differ) and short enough that every suffixed name stays a valid identifier.
/// </summary>
public static partial class DeployId
{
    /// <summary>The pattern a deploy ID must match.</summary>
    public const string Pattern = "^[a-z0-9][a-z0-9_-]{0,62}$";

    /// <summary>Materialize's identifier limit, in UTF-8 bytes.</summary>
    public const int MaxIdentifierBytes = 255;

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex PatternRegex();

    /// <summary>Whether <paramref name="deployId"/> matches <see cref="Pattern"/>.</summary>
    public static bool IsValid(string? deployId) => deployId is not null && PatternRegex().IsMatch(deployId);

    /// <summary>Returns <paramref name="deployId"/>, or throws <c>InvalidDeployId</c> naming the rule it breaks.</summary>
    /// <exception cref="MzDeployException">The ID does not match <see cref="Pattern"/>.</exception>
    public static string Validate(string? deployId)
    {
        if (IsValid(deployId))
        {
            return deployId!;
        }

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

    /// <summary>
    /// Throws <c>InvalidDeployId</c> when <paramref name="name"/> (a name carrying the deploy ID's suffix) is
    /// longer than <see cref="MaxIdentifierBytes"/> UTF-8 bytes.
    /// </summary>
    internal static string CheckLength(string name, string deployId)
    {
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes <= MaxIdentifierBytes)
        {
            return name;
        }

        throw new MzDeployException(ErrorIds.InvalidDeployId,
            $"deploy ID '{deployId}' makes the name '{name}' {bytes} bytes long, over Materialize's {MaxIdentifierBytes}-byte identifier limit",
            deployId, new Advice("Use a shorter deploy ID, or shorten the schema or cluster name."));
    }
}

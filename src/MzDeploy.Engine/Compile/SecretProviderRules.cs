using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Compile;

/// <summary>
/// Secret providers this build cannot resolve. <c>aws_secret('name')</c> needs the AWS SDK for .NET's Secrets Manager
/// client, which this build does not ship; a project that calls it fails to compile at the call, so the user learns it
/// from the first build rather than from an apply that has already started.
/// </summary>
internal static class SecretProviderRules
{
    /// <summary>Provider functions a secret's value may name that this build does not have.</summary>
    private static readonly HashSet<string> Unavailable = new(StringComparer.OrdinalIgnoreCase) { "aws_secret" };

    public static void Check(IReadOnlyList<CompiledObject> objects, List<Diagnostic> diagnostics)
    {
        foreach (var o in objects)
        {
            if (o.Statement is not CreateSecretStatement secret)
            {
                continue;
            }

            var tokens = secret.Value.Tokens;
            if (tokens.Count >= 2 && tokens[0].Kind == TokenKind.Identifier && tokens[1].Kind == TokenKind.LeftParen
                && Unavailable.Contains(tokens[0].Value))
            {
                // The message names the function only: the argument is a secret's name, harmless, but nothing after AS is quoted.
                diagnostics.Add(new Diagnostic(ErrorIds.SecretProviderUnavailable.Id,
                    $"secret {o.Id}: the {tokens[0].Value.ToLowerInvariant()}() provider is not available in this build of MzDeploy "
                    + "(it does not include the AWS SDK for .NET)",
                    o.Source.Locate(tokens[0].Span), o.Id.ToString(), new ProvideSecretValue(o.Id.ToString())));
            }
        }
    }
}

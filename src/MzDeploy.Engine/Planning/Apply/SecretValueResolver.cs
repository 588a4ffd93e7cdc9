using MzDeploy.Engine.Model;
using MzDeploy.Engine.Project;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning.Apply;

/// <summary>A provider function a secret's value may call, such as <c>env_var('NAME')</c>.</summary>
public interface ISecretProvider
{
    /// <summary>The function name, lower case (<c>env_var</c>).</summary>
    string Function { get; }

    /// <summary>The value for <paramref name="argument"/>, or null with <paramref name="problem"/> saying why (never the value).</summary>
    SecretString? Resolve(string argument, out string? problem);
}

/// <summary><c>env_var('NAME')</c>: the environment variable, read at apply time through <see cref="IEnvironment"/>.</summary>
public sealed class EnvironmentSecretProvider(IEnvironment environment) : ISecretProvider
{
    public string Function => "env_var";

    public SecretString? Resolve(string argument, out string? problem)
    {
        var value = environment.GetVariable(argument);
        problem = value is null ? $"environment variable {argument} is not set" : null;
        return value is null ? null : new SecretString(value);
    }
}

/// <summary>
/// The SQL a secret's value becomes: an explicit value, a provider's value (as a string literal), or the file's own
/// expression. Wrapped in a <see cref="SecretString"/> from the moment it is known.
/// </summary>
internal sealed class SecretValueResolver
{
    private readonly IReadOnlyDictionary<string, SecretString> _explicit;
    private readonly Dictionary<string, ISecretProvider> _providers;

    public SecretValueResolver(ApplyOptions options, IEnumerable<ISecretProvider>? providers = null)
    {
        _explicit = options.SecretValues;
        _providers = (providers ?? [new EnvironmentSecretProvider(options.Environment)])
            .ToDictionary(p => p.Function, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Whether a value was passed explicitly for the secret with project name <paramref name="projectId"/>.</summary>
    public bool HasExplicitValue(ObjectId projectId) => _explicit.ContainsKey(projectId.ToString());

    /// <summary>The value expression as SQL, or null with the problem.</summary>
    public SecretString? Resolve(ObjectId projectId, CreateSecretStatement statement, out string? problem)
    {
        problem = null;
        if (_explicit.TryGetValue(projectId.ToString(), out var given))
        {
            return Literal(given);
        }

        var tokens = statement.Value.Tokens;
        if (tokens.Count == 1 && tokens[0].Kind == TokenKind.String)
        {
            return new SecretString(statement.Value.Text);
        }

        // provider('argument'): the argument must be a string literal (mz-deploy's rule).
        if (tokens.Count >= 3 && tokens[0].Kind == TokenKind.Identifier && tokens[1].Kind == TokenKind.LeftParen)
        {
            var function = tokens[0].Value;
            if (_providers.TryGetValue(function, out var provider))
            {
                if (tokens.Count != 4 || tokens[2].Kind != TokenKind.String || tokens[3].Kind != TokenKind.RightParen)
                {
                    problem = $"failed to resolve secret '{projectId}': {function}() takes one string literal";
                    return null;
                }

                var value = provider.Resolve(tokens[2].Value, out var why);
                if (value is null)
                {
                    problem = $"failed to resolve secret '{projectId}': {why}";
                    return null;
                }

                return Literal(value);
            }

            // aws_secret() never gets here: compiling refuses it (SecretProviderRules), as this build has no AWS client.
        }

        // Any other expression (decode('…', 'base64'), …) goes to Materialize as written.
        return new SecretString(statement.Value.Text);
    }

    private static SecretString Literal(SecretString value) => new(SqlLiteral.Quote(value.Reveal()));
}

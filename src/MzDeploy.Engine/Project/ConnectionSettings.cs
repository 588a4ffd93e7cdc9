using System.Text;
using Npgsql;

namespace MzDeploy.Engine.Project;

/// <summary>
/// Everything needed to open one connection, as plain values: the result of resolving a profile
/// (environment passwords applied, overrides merged). <see cref="ToString"/> redacts the password;
/// <see cref="ToNpgsqlConnectionString"/> is the one place the password leaves.
/// </summary>
public sealed record ConnectionSettings
{
    /// <summary>Database used when the caller does not name one: Materialize's default database.</summary>
    public const string DefaultDatabase = "materialize";

    /// <summary>application_name reported to the server when the caller does not set one.</summary>
    public const string DefaultApplicationName = "MzDeploy";

    public required string ProfileName { get; init; }

    public required string Host { get; init; }

    public required int Port { get; init; }

    public required string Username { get; init; }

    /// <summary>The resolved password, or <c>null</c> for none.</summary>
    public SecretString? Password { get; init; }

    public string Database { get; init; } = DefaultDatabase;

    /// <summary>Session variables sent at connection start (<c>-c key=value</c>).</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public SslMode SslMode { get; init; } = SslMode.Require;

    public string? SslRootCert { get; init; }

    public string ApplicationName { get; init; } = DefaultApplicationName;

    /// <summary>A copy with one session option set (e.g. <c>cluster</c>), replacing any value it had.</summary>
    public ConnectionSettings WithOption(string key, string value)
    {
        var options = new Dictionary<string, string>(Options, StringComparer.Ordinal) { [key] = value };
        return this with { Options = options };
    }

    /// <summary>An Npgsql connection string, password included. Never log or display it.</summary>
    public string ToNpgsqlConnectionString() => Build(revealPassword: true);

    /// <summary>The connection string with the password replaced by <c>********</c>.</summary>
    public override string ToString() => Build(revealPassword: false);

    private string Build(bool revealPassword)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = Username,
            Database = Database,
            ApplicationName = ApplicationName,
            SslMode = SslMode switch
            {
                SslMode.Disable => Npgsql.SslMode.Disable,
                SslMode.Prefer => Npgsql.SslMode.Prefer,
                SslMode.Require => Npgsql.SslMode.Require,
                SslMode.VerifyCa => Npgsql.SslMode.VerifyCA,
                _ => Npgsql.SslMode.VerifyFull,
            },
        };
        if (SslRootCert is not null)
        {
            builder.RootCertificate = SslRootCert;
        }

        if (Options.Count > 0)
        {
            builder.Options = FormatOptions(Options);
        }

        if (Password is not null)
        {
            builder.Password = revealPassword ? Password.Reveal() : SecretString.Redacted;
        }

        return builder.ConnectionString;
    }

    /// <summary>libpq options syntax: <c>-c key=value</c> pairs, spaces and backslashes escaped with a backslash.</summary>
    internal static string FormatOptions(IReadOnlyDictionary<string, string> options)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in options.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append("-c ").Append(key).Append('=');
            foreach (var c in value)
            {
                if (c is ' ' or '\\')
                {
                    text.Append('\\');
                }

                text.Append(c);
            }
        }

        return text.ToString();
    }
}

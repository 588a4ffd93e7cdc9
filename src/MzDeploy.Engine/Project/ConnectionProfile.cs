using System.Net;

namespace MzDeploy.Engine.Project;

/// <summary>TLS requirement for a connection, as in libpq's <c>sslmode</c>.</summary>
public enum SslMode
{
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// <summary>
/// One connection profile from profiles.toml (or the built-in <c>emulator</c> profile). The password is held
/// as a <see cref="SecretString"/> or as the name of the environment variable that holds it; neither
/// <see cref="ToString"/> nor any other description of a profile contains the password.
/// </summary>
public sealed class ConnectionProfile
{
    /// <summary>Name of the built-in profile for the local emulator.</summary>
    public const string EmulatorName = "emulator";

    /// <summary>Materialize's SQL port, used when a profile does not set one.</summary>
    public const int DefaultPort = 6875;

    public ConnectionProfile(string name, string? host, int port, string? username, SecretString? password,
        string? passwordVariable, IReadOnlyDictionary<string, string>? options, SslMode? sslMode, string? sslRootCert,
        string? httpHost, bool isBuiltIn = false, string? sourcePath = null)
    {
        Name = name;
        Host = host;
        Port = port;
        Username = username;
        Password = password;
        PasswordVariable = passwordVariable;
        Options = options ?? new Dictionary<string, string>(StringComparer.Ordinal);
        SslMode = sslMode ?? DefaultSslMode(host);
        IsSslModeDefault = sslMode is null;
        SslRootCert = sslRootCert;
        HttpHost = httpHost;
        IsBuiltIn = isBuiltIn;
        SourcePath = sourcePath;
    }

    /// <summary>The built-in profile: localhost:6875, user <c>materialize</c>, no password, emulator mode.</summary>
    public static ConnectionProfile BuiltInEmulator { get; } =
        new(EmulatorName, "localhost", DefaultPort, "materialize", null, null, null, null, null, null, isBuiltIn: true);

    public string Name { get; }

    /// <summary>SQL (pgwire) host, or <c>null</c> for an HTTP-only profile.</summary>
    public string? Host { get; }

    public int Port { get; }

    /// <summary><c>username</c> (or its alias <c>user</c>), or <c>null</c> when the file does not set one.</summary>
    public string? Username { get; }

    /// <summary>A literal password from the file, or <c>null</c>.</summary>
    public SecretString? Password { get; }

    /// <summary>When the file says <c>password = "${VAR}"</c>: <c>VAR</c>, read at connect time.</summary>
    public string? PasswordVariable { get; }

    /// <summary>Session variables sent on every connection (libpq <c>options</c>).</summary>
    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>The effective sslmode: the file's, else <c>prefer</c> for loopback hosts and <c>require</c> otherwise.</summary>
    public SslMode SslMode { get; }

    /// <summary>Whether <see cref="SslMode"/> came from the default rule rather than the file.</summary>
    public bool IsSslModeDefault { get; }

    /// <summary>CA bundle for the verify modes, or <c>null</c>.</summary>
    public string? SslRootCert { get; }

    /// <summary>HTTP API host (bare host, host:port or URL), or <c>null</c>.</summary>
    public string? HttpHost { get; }

    /// <summary>Whether this is the built-in <c>emulator</c> profile (no profiles.toml section overrides it).</summary>
    public bool IsBuiltIn { get; }

    /// <summary>Full path of the profiles.toml that defines the profile; <c>null</c> for the built-in one.</summary>
    public string? SourcePath { get; }

    /// <summary>Whether the profile has a password of any kind (literal or <c>${VAR}</c>).</summary>
    public bool HasPassword => Password is not null || PasswordVariable is not null;

    /// <summary>A one-line description without the password, e.g. <c>staging (deployer@mz.example.com:6875, sslmode=require)</c>.</summary>
    public override string ToString()
    {
        var user = Username is null ? "" : Username + "@";
        var where = Host is null ? $"http {HttpHost}" : $"{user}{Host}:{Port}, sslmode={FormatSslMode(SslMode)}";
        return $"{Name} ({where})";
    }

    /// <summary>The sslmode as written in profiles.toml (<c>verify-ca</c>).</summary>
    public static string FormatSslMode(SslMode mode) => mode switch
    {
        SslMode.Disable => "disable",
        SslMode.Prefer => "prefer",
        SslMode.Require => "require",
        SslMode.VerifyCa => "verify-ca",
        SslMode.VerifyFull => "verify-full",
        _ => mode.ToString(),
    };

    /// <summary>Parses an sslmode as written in profiles.toml; <c>false</c> for unknown values.</summary>
    public static bool TryParseSslMode(string text, out SslMode mode)
    {
        switch (text.ToLowerInvariant())
        {
            case "disable":
                mode = SslMode.Disable;
                return true;
            case "prefer":
                mode = SslMode.Prefer;
                return true;
            case "require":
                mode = SslMode.Require;
                return true;
            case "verify-ca":
                mode = SslMode.VerifyCa;
                return true;
            case "verify-full":
                mode = SslMode.VerifyFull;
                return true;
            default:
                mode = default;
                return false;
        }
    }

    /// <summary><c>prefer</c> for loopback hosts (localhost, 127.0.0.0/8, ::1), <c>require</c> for everything else.</summary>
    public static SslMode DefaultSslMode(string? host) => host is not null && IsLoopback(host) ? SslMode.Prefer : SslMode.Require;

    private static bool IsLoopback(string host)
    {
        var bare = host.Trim().TrimStart('[').TrimEnd(']');
        return string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(bare, out var address) && IPAddress.IsLoopback(address));
    }
}

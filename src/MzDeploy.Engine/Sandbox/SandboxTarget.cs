using System.Globalization;
using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Project;
using Npgsql;
using SslMode = MzDeploy.Engine.Project.SslMode;

namespace MzDeploy.Engine.Sandbox;

/// <summary>Where a sandbox target came from, in the order a command looks for one.</summary>
public enum SandboxKind
{
    /// <summary>A Materialize named by a connection profile (mz-deploy's <c>--no-docker</c>).</summary>
    Profile,

    /// <summary>A running emulator (or Materialize) at an address the user gave.</summary>
    External,

    /// <summary>The private emulator this process started itself.</summary>
    Private,
}

/// <summary>
/// Where scratch SQL runs (unit tests, type checks): a profile's Materialize, an address, or the private emulator. What
/// it shows is safe to log. Sessions opened here are NOT pinned to mz-deploy's server cluster: a fresh sandbox has none,
/// and scratch SQL runs where the target's user would run it.
/// </summary>
public sealed class SandboxTarget
{
    /// <summary>The user and database of an emulator (and of a fresh Materialize).</summary>
    private const string SandboxUser = "materialize";

    private SandboxTarget(SandboxKind kind, CatalogConnectionFactory factory, string description)
    {
        Kind = kind;
        Factory = factory;
        Description = description;
    }

    public SandboxKind Kind { get; }

    /// <summary><c>host:port</c>.</summary>
    public string Server => Factory.Server;

    /// <summary>Which sandbox this is and where, in words safe to log (no password).</summary>
    public string Description { get; }

    /// <summary>Opens the sessions: engine code may also open a <see cref="CatalogSession"/> with <c>pinned: false</c>.</summary>
    internal CatalogConnectionFactory Factory { get; }

    /// <summary>
    /// An open connection, not pinned to any cluster; the caller disposes it. A sandbox that does not answer is
    /// <see cref="ErrorIds.ConnectionFailed"/> naming the sandbox (a profile's failure names the profile, as elsewhere).
    /// </summary>
    internal async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Factory.OpenUnpinnedConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MzDeployException e) when (Kind != SandboxKind.Profile && e.Error == ErrorIds.ConnectionFailed)
        {
            // The factory's words speak of a profile; an address or the private emulator has none.
            throw new MzDeployException(ErrorIds.ConnectionFailed,
                $"cannot connect to the sandbox at {Server}: {e.InnerException?.Message ?? e.Message}", Server,
                new Advice(Kind == SandboxKind.Private
                    ? "The private sandbox stopped answering; stop it so that the next command starts a new one."
                    : $"Check that an emulator is running at {Server}."),
                e)
            { Transient = e.Transient };
        }
    }

    /// <summary>The Materialize of a resolved profile: scratch SQL runs there, as the profile's user.</summary>
    public static SandboxTarget ForProfile(ConnectionTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new SandboxTarget(SandboxKind.Profile, target.Factory,
            $"profile '{target.ProfileName}' at {target.Server}");
    }

    /// <summary>
    /// A running emulator at <paramref name="hostPort"/> (<c>host:port</c>, <c>[::1]:port</c>, or a host alone for port
    /// 6875), as user <c>materialize</c> in database <c>materialize</c>; <see cref="ErrorIds.SandboxAddressInvalid"/>
    /// for anything else.
    /// </summary>
    public static SandboxTarget ForAddress(string hostPort)
    {
        var (host, port) = ParseAddress(hostPort);
        // TLS when offered, plain text otherwise: an emulator or a local Materialize container offers none.
        var settings = Settings("sandbox", host, port, SslMode.Prefer);
        return new SandboxTarget(SandboxKind.External, new CatalogConnectionFactory(settings, emulatorMode: true),
            $"the sandbox at {settings.Host}:{settings.Port}");
    }

    /// <summary>The private emulator (loopback, plain text).</summary>
    public static SandboxTarget ForEmulator(SandboxEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        var settings = Settings("private sandbox", emulator.Host, emulator.Port, SslMode.Disable);
        return new SandboxTarget(SandboxKind.Private, new CatalogConnectionFactory(settings, emulatorMode: true),
            $"the private sandbox at {emulator.Host}:{emulator.Port}");
    }

    /// <summary>The host and port of <c>host:port</c>; a bracketed IPv6 address keeps its colons.</summary>
    internal static (string Host, int Port) ParseAddress(string? hostPort)
    {
        var text = hostPort?.Trim() ?? "";
        string host;
        string? port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            host = close < 0 ? "" : text[1..close];
            var rest = close < 0 ? "" : text[(close + 1)..];
            port = rest.Length == 0 ? null : rest.StartsWith(':') ? rest[1..] : "-";
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            port = colon < 0 ? null : text[(colon + 1)..];
            if (host.Contains(':'))
            {
                host = ""; // an IPv6 address without brackets: the port cannot be told apart
            }
        }

        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || c is '/' or '@' or '?' or '#' or ';' or '=')
            || (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)))
        {
            throw new MzDeployException(ErrorIds.SandboxAddressInvalid,
                $"'{hostPort}' is not a sandbox address: expected host:port, such as 127.0.0.1:6875 or [::1]:6875.", hostPort,
                new Advice("Give the address the emulator printed when it started (host:port)."));
        }

        return (host, port is null ? ConnectionProfile.DefaultPort : int.Parse(port, CultureInfo.InvariantCulture));
    }

    private static ConnectionSettings Settings(string name, string host, int port, SslMode sslMode) => new()
    {
        ProfileName = name,
        Host = host,
        Port = port,
        Username = SandboxUser,
        Database = ConnectionSettings.DefaultDatabase,
        SslMode = sslMode,
    };
}

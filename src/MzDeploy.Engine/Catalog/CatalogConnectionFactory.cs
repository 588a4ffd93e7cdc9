using MzDeploy.Engine.Project;
using Npgsql;

namespace MzDeploy.Engine.Catalog;

/// <summary>
/// Opens sessions to Materialize for one resolved profile. Every session is pinned to the
/// <see cref="ServerCluster"/> cluster through the startup option <c>-c cluster=_mz_deploy_server</c>
/// (which replaces any <c>cluster</c> option of the profile), except setup's first session, which runs
/// before that cluster exists. The password leaves this class only inside the Npgsql connection string;
/// <see cref="Description"/> is what may be logged.
/// </summary>
public sealed class CatalogConnectionFactory
{
    /// <summary>The cluster mz-deploy's own sessions run on (mz-deploy's name, for compatibility).</summary>
    public const string ServerCluster = "_mz_deploy_server";

    /// <summary>application_name of every MzDeploy session.</summary>
    public const string ApplicationName = ConnectionSettings.DefaultApplicationName;

    private readonly ConnectionSettings _settings;

    /// <param name="settings">The resolved connection settings (profile, or profile plus credentials given to the command).</param>
    /// <param name="emulatorMode">
    /// The built-in <c>emulator</c> profile: like mz-deploy's emulator mode, role checks and role grants are skipped.
    /// </param>
    public CatalogConnectionFactory(ConnectionSettings settings, bool emulatorMode = false)
    {
        _settings = settings with { ApplicationName = ApplicationName };
        EmulatorMode = emulatorMode;
    }

    /// <summary>Whether role checks and role grants are skipped (the built-in emulator profile).</summary>
    public bool EmulatorMode { get; }

    /// <summary>Seconds a session may take to connect.</summary>
    private int ConnectTimeoutSeconds { get; init; } = 15;

    /// <summary>Seconds one statement may run; 0: no limit (a promote's statements and a wait's polls take what they take).</summary>
    private int CommandTimeoutSeconds { get; init; }

    /// <summary>
    /// A factory for the same server whose sessions give up connecting, and each statement, after
    /// <paramref name="seconds"/>: for quick reads a person waits on (tab completion), where no answer soon is no answer.
    /// </summary>
    internal CatalogConnectionFactory WithTimeout(int seconds) =>
        new(_settings, EmulatorMode) { ConnectTimeoutSeconds = seconds, CommandTimeoutSeconds = seconds };

    /// <summary>The connected user as configured (profile or credential).</summary>
    public string Username => _settings.Username;

    /// <summary>The profile the settings came from.</summary>
    public string ProfileName => _settings.ProfileName;

    /// <summary><c>host:port</c>, for messages.</summary>
    public string Server => $"{_settings.Host}:{_settings.Port}";

    /// <summary>A description safe to log: user, host, port, database, options; the password redacted.</summary>
    public string Description => SettingsFor(pinned: true).ToString();

    /// <summary>The settings a session is opened with; <paramref name="pinned"/> adds the server-cluster option.</summary>
    internal ConnectionSettings SettingsFor(bool pinned) =>
        pinned ? _settings.WithOption("cluster", ServerCluster) : _settings;

    /// <summary>The Npgsql connection string of a session (password included: never log it).</summary>
    internal string ConnectionString(bool pinned)
    {
        var builder = new NpgsqlConnectionStringBuilder(SettingsFor(pinned).ToNpgsqlConnectionString())
        {
            // One session per operation and no pool: a pooled session would keep settings (and a role's
            // grants as seen at login) across operations, and tests start and stop servers freely.
            Pooling = false,
            Timeout = ConnectTimeoutSeconds,
            CommandTimeout = CommandTimeoutSeconds,
        };
        return builder.ConnectionString;
    }

    /// <summary>
    /// Opens a session. <paramref name="pinned"/> = false only for setup's first session (the cluster may not exist yet).
    /// Statements that change the database are passed to <paramref name="recorder"/>. There is no dry-run session: an
    /// operation shows its plan instead of running it.
    /// </summary>
    public async Task<CatalogSession> OpenAsync(CancellationToken cancellationToken, bool pinned = true,
        IStatementRecorder? recorder = null)
    {
        var dataSource = BuildDataSource(pinned);
        NpgsqlConnection? connection = null;
        try
        {
            connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (CatalogErrors.IsDatabaseError(e))
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw CatalogErrors.ConnectFailed(e, this, cancellationToken);
        }

        return new CatalogSession(dataSource, connection, recorder, Redact);
    }

    /// <summary>
    /// Opens a bare connection that is NOT pinned to <see cref="ServerCluster"/>: for scratch SQL in a sandbox (unit tests,
    /// type checks), where that cluster need not exist and the user's own cluster settings apply. No statement recorder:
    /// nothing here changes production. The caller owns the connection; closing or disposing it releases everything.
    /// </summary>
    internal async Task<NpgsqlConnection> OpenUnpinnedConnectionAsync(CancellationToken cancellationToken)
    {
        var dataSource = BuildDataSource(pinned: false);
        try
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            // The data source belongs to this one connection: release it (and its metrics registration) when it closes.
            connection.StateChange += (_, change) =>
            {
                if (change.CurrentState == System.Data.ConnectionState.Closed)
                {
                    dataSource.Dispose();
                }
            };
            return connection;
        }
        catch (Exception e) when (CatalogErrors.IsDatabaseError(e))
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw CatalogErrors.ConnectFailed(e, this, cancellationToken);
        }
    }

    private NpgsqlDataSource BuildDataSource(bool pinned)
    {
        var builder = new NpgsqlDataSourceBuilder(ConnectionString(pinned));
        // Materialize's pg_type does not carry everything Npgsql's type loading asks for; the built-in types
        // (text, bool, integers, timestamptz) are all MzDeploy reads.
        builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
        return builder.Build();
    }

    /// <summary>
    /// <paramref name="text"/> with any occurrence of the password replaced by <c>********</c>: a last line of
    /// defence for messages that quote the server or the driver.
    /// </summary>
    internal string Redact(string text)
    {
        var password = _settings.Password?.Reveal();
        // Very short passwords would blank out ordinary letters; they are also never worth protecting this way.
        return password is { Length: >= 4 } ? text.Replace(password, SecretString.Redacted, StringComparison.Ordinal) : text;
    }
}

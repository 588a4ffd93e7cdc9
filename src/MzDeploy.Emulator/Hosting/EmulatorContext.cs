using MzDeploy.Emulator.Postgres;
using Npgsql;

namespace MzDeploy.Emulator;

/// <summary>What every client session shares: the server, the emulator's own connection pool, the statement recorder.</summary>
internal sealed class EmulatorContext : IAsyncDisposable
{
    private EmulatorContext(PostgresServer postgres, NpgsqlDataSource admin, StatementRecorder recorder)
    {
        Postgres = postgres;
        Admin = admin;
        Recorder = recorder;
    }

    public static async Task<EmulatorContext> CreateAsync(PostgresServer postgres, CancellationToken cancellationToken)
    {
        var admin = NpgsqlDataSource.Create(postgres.AdminConnectionString);
        try
        {
            return new EmulatorContext(postgres, admin, await Task.Run(() => StatementRecorder.Start(admin), cancellationToken));
        }
        catch
        {
            await admin.DisposeAsync();
            throw;
        }
    }

    public PostgresServer Postgres { get; }

    /// <summary>Superuser connections for the proxy's own bookkeeping (statement log, faults).</summary>
    public NpgsqlDataSource Admin { get; }

    /// <summary>The statement log and the injected faults.</summary>
    public StatementRecorder Recorder { get; }

    /// <summary>The live sessions, for DDL that must not wait for readers.</summary>
    public ReaderRegistry Readers { get; } = new();

    public string MzVersion => "v0.147.0 (mzdeploy-emulator)";

    // Roles the proxy has handed to mz_emulator.grant_rbac_bypass: once per role and process is enough, as
    // switching RBAC checks off grants the role to every role that exists then.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _bypassMembers = new(StringComparer.Ordinal);

    /// <summary>
    /// While RBAC checks are off, makes <paramref name="user"/> a member of mz_rbac_bypass before its first
    /// session logs in, so the database default <c>role = mz_rbac_bypass</c> applies to that session too and
    /// survives RESET ALL / DISCARD ALL (Bootstrap/80-rbac.sql). One admin round trip per role and process.
    /// </summary>
    public void EnsureBypassMember(string user)
    {
        if (_bypassMembers.ContainsKey(user))
            return;
        using var command = Admin.CreateCommand("SELECT mz_emulator.grant_rbac_bypass($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        command.ExecuteScalar();
        _bypassMembers[user] = true;
    }

    public async ValueTask DisposeAsync()
    {
        await Task.Run(Recorder.Dispose);
        await Admin.DisposeAsync();
    }
}

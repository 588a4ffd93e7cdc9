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

    public string MzVersion => "v0.147.0 (mzdeploy-emulator)";

    public async ValueTask DisposeAsync()
    {
        await Task.Run(Recorder.Dispose);
        await Admin.DisposeAsync();
    }
}

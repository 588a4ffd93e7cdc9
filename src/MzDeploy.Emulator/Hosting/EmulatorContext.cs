using MzDeploy.Emulator.Postgres;
using Npgsql;

namespace MzDeploy.Emulator;

/// <summary>What every client session shares: the server and the emulator's own connection pool.</summary>
internal sealed class EmulatorContext : IAsyncDisposable
{
    public EmulatorContext(PostgresServer postgres)
    {
        Postgres = postgres;
        Admin = NpgsqlDataSource.Create(postgres.AdminConnectionString);
    }

    public PostgresServer Postgres { get; }

    /// <summary>Superuser connections for the proxy's own bookkeeping (statement log, faults).</summary>
    public NpgsqlDataSource Admin { get; }

    public string MzVersion => "v0.147.0 (mzdeploy-emulator)";

    /// <summary>Logs a client statement and returns the injected fault to apply, if any.</summary>
    public async Task<string?> RecordStatementAsync(int connectionId, string sql, CancellationToken cancellationToken)
    {
        await using var command = Admin.CreateCommand("SELECT mz_emulator.record_statement($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = connectionId });
        command.Parameters.Add(new NpgsqlParameter { Value = sql });
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result as string;
    }

    public ValueTask DisposeAsync() => Admin.DisposeAsync();
}

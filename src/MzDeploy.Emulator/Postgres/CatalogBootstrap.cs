using Npgsql;

namespace MzDeploy.Emulator.Postgres;

/// <summary>
/// Makes a started server look like a fresh Materialize: creates the one PostgreSQL database and the
/// emulator's state once (Bootstrap/state.sql), and (re)defines its functions and catalog views on
/// every start (Bootstrap/NN-*.sql, in order).
/// </summary>
internal static class CatalogBootstrap
{
    /// <summary>The version state.sql creates; a data folder with another version is refused, not migrated.</summary>
    public const int StateVersion = 1;

    public static async Task RunAsync(PostgresServer server, CancellationToken cancellationToken)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(maintenance.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
            {
                Parameters = { new NpgsqlParameter { Value = PostgresServer.DatabaseName } },
            };
            if (await exists.ExecuteScalarAsync(cancellationToken) == null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE {PostgresServer.DatabaseName}", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        var main = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Pooling = false };
        await using (var connection = new NpgsqlConnection(main.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var hasState = new NpgsqlCommand(
                "SELECT 1 FROM pg_namespace WHERE nspname = 'mz_emulator'", connection);
            if (await hasState.ExecuteScalarAsync(cancellationToken) == null)
                await ExecuteScriptAsync(connection, "state.sql", cancellationToken);
            await using (var version = new NpgsqlCommand("SELECT max(version) FROM mz_emulator.version", connection))
            {
                var found = await version.ExecuteScalarAsync(cancellationToken);
                if (found is not int v || v != StateVersion)
                    throw new EmulatorException(
                        $"the data folder {server.DataRoot} holds emulator state version {found}, this build needs {StateVersion}; " +
                        "delete the folder to start afresh.");
            }
            // The definitions, one file per concern, in file-name order (10-session.sql, 20-clusters.sql, …).
            var prefix = "MzDeploy.Emulator.Bootstrap.";
            var definitions = typeof(CatalogBootstrap).Assembly.GetManifestResourceNames()
                .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && char.IsAsciiDigit(n[prefix.Length]))
                .Order(StringComparer.Ordinal)
                .ToList();
            // Running them takes seconds; a data folder whose definitions came from these very scripts (a restart, or
            // a copy of the private sandbox's template) already has them all.
            var mark = "definitions " + DefinitionsHash(definitions);
            await using (var defined = new NpgsqlCommand("SELECT obj_description('mz_emulator'::regnamespace, 'pg_namespace')", connection))
            {
                if (await defined.ExecuteScalarAsync(cancellationToken) is string current && current == mark)
                    return;
            }
            foreach (var name in definitions)
                await ExecuteScriptAsync(connection, name[prefix.Length..], cancellationToken);
            await using var record = new NpgsqlCommand($"COMMENT ON SCHEMA mz_emulator IS '{mark}'", connection);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    // The scripts' names and texts: any change to any of them runs them all again.
    private static string DefinitionsHash(IEnumerable<string> resources)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var name in resources)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name + "\0"));
            using var stream = typeof(CatalogBootstrap).Assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            hash.AppendData(buffer.ToArray());
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }

    private static async Task ExecuteScriptAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        var assembly = typeof(CatalogBootstrap).Assembly;
        await using var stream = assembly.GetManifestResourceStream("MzDeploy.Emulator.Bootstrap." + name)
            ?? throw new InvalidOperationException($"missing embedded resource {name}");
        using var reader = new StreamReader(stream);
        var script = await reader.ReadToEndAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(script, connection, transaction);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            throw new EmulatorException($"emulator bootstrap ({name}) failed: {e.MessageText} (at {e.Position}: {e.Where})", e);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}

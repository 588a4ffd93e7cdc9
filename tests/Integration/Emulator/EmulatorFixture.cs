using MzDeploy.Emulator;
using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>One emulator (own temp data folder, free port) shared by the tests of a collection; stopped at the end.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("mzemu-test-").FullName;

    public EmulatorServer Server { get; private set; } = null!;

    public string ConnectionString => Server.ConnectionString;

    public async Task InitializeAsync() => Server = await EmulatorServer.StartAsync(new EmulatorOptions(_data, Port: 0));

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        TestData.DeleteQuietly(_data);
    }

    public async Task<NpgsqlConnection> OpenAsync(string? extra = null)
    {
        var connection = new NpgsqlConnection(ConnectionString + (extra == null ? "" : ";" + extra));
        await connection.OpenAsync();
        return connection;
    }

    public RawPgClient Raw(string user = "materialize", string? options = null) =>
        RawPgClient.Connect(Server.Port, user, options: options);
}

[CollectionDefinition(Name)]
public sealed class EmulatorCollection : ICollectionFixture<EmulatorFixture>
{
    public const string Name = "emulator";
}

internal static class TestData
{
    public static string UniqueName(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..8];

    public static void DeleteQuietly(string path)
    {
        try
        { Directory.Delete(path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public static async Task<object?> ScalarAsync(this NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public static async Task<int> ExecAsync(this NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<List<object?[]>> RowsAsync(this NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public static async Task<PostgresException> FailsAsync(this NpgsqlConnection connection, string sql) =>
        await Assert.ThrowsAsync<PostgresException>(() => connection.ExecAsync(sql));
}

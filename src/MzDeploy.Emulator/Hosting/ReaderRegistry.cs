using System.Collections.Concurrent;
using Npgsql;

namespace MzDeploy.Emulator;

/// <summary>
/// The live client sessions by their PostgreSQL backend's process id, so a DDL statement that waits for
/// PostgreSQL locks can ask the sessions holding them to let go. Materialize's DDL never waits for
/// readers (a read transaction holds no locks there, only a read timestamp); PostgreSQL's does, so
/// without this a deploy would hang behind any session left idle in a read transaction.
/// </summary>
internal sealed class ReaderRegistry
{
    private readonly ConcurrentDictionary<int, Action> _yield = new();

    /// <summary>Registers a session: <paramref name="yield"/> asks it (from any thread) to end its read transaction's locks.</summary>
    public void Add(int backendPid, Action yield) => _yield[backendPid] = yield;

    public void Remove(int backendPid) => _yield.TryRemove(backendPid, out _);

    /// <summary>
    /// Asks every session whose backend blocks <paramref name="waitingPid"/> to yield (each decides on its
    /// own thread whether it is an idle reader); returns how many were asked. One admin round trip.
    /// </summary>
    public int YieldTo(int waitingPid, NpgsqlDataSource admin)
    {
        using var command = admin.CreateCommand("SELECT pg_catalog.unnest(pg_catalog.pg_blocking_pids($1))");
        command.Parameters.Add(new NpgsqlParameter { Value = waitingPid });
        using var reader = command.ExecuteReader();
        var asked = 0;
        while (reader.Read())
        {
            if (!_yield.TryGetValue(reader.GetInt32(0), out var yield))
                continue;
            yield();
            asked++;
        }
        return asked;
    }
}

using Npgsql;
using NpgsqlTypes;

namespace MzDeploy.Emulator;

/// <summary>
/// The statement log and the injected faults, kept in the proxy so that a client statement costs no
/// extra round trip. <see cref="Record"/> gives every statement its global sequence number and checks
/// the faults under one lock (so faults fire exactly once, in one order across connections); a
/// background writer appends the log to mz_emulator.statement_log in batches. A statement that reads
/// the log waits (<see cref="WaitUntilWrittenAsync"/>) until everything logged before it is in the table.
/// The fault list is reloaded from mz_emulator.faults when a session that touched it goes idle
/// (<see cref="ReloadFaultsAsync"/>), and on the NOTIFY that inject_fault and clear_faults send (for
/// changes that do not pass through the proxy).
/// </summary>
internal sealed class StatementRecorder : IAsyncDisposable
{
    /// <summary>Log entries wait at most this long for company before the writer sends them.</summary>
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(50);

    private const string FaultChannel = "mz_emulator_faults";

    private readonly record struct Entry(long Seq, DateTime OccurredAt, int ConnectionId, string Sql);

    private readonly NpgsqlDataSource _admin;
    private readonly object _lock = new();
    private readonly FaultList _faults = new();
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private List<Entry> _pending = [];
    private long _lastSeq;
    private long _writtenSeq;
    private bool _stopped;
    // Completed when there is something to write; when a reader is waiting (skip the batch window);
    // after each write.
    private TaskCompletionSource _wake = NewSignal();
    private TaskCompletionSource _urgent = NewSignal();
    private TaskCompletionSource _written = NewSignal();
    private Task _writer = Task.CompletedTask;
    private Task _listener = Task.CompletedTask;

    private StatementRecorder(NpgsqlDataSource admin) => _admin = admin;

    public static async Task<StatementRecorder> StartAsync(NpgsqlDataSource admin, CancellationToken cancellationToken)
    {
        var recorder = new StatementRecorder(admin);
        await using (var command = admin.CreateCommand("SELECT coalesce(max(seq), 0) FROM mz_emulator.statement_log"))
            recorder._lastSeq = recorder._writtenSeq = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        await recorder.ReloadFaultsAsync(cancellationToken);
        recorder._writer = recorder.WriteLoopAsync();
        recorder._listener = recorder.ListenLoopAsync();
        return recorder;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The sequence number of the last statement logged.</summary>
    public long LastSeq
    {
        get { lock (_lock) return _lastSeq; }
    }

    /// <summary>Logs a client statement; returns its sequence number and the injected fault that fires on it, if any.</summary>
    public (long Seq, FaultAction? Fault) Record(int connectionId, string sql)
    {
        lock (_lock)
        {
            var seq = ++_lastSeq;
            _pending.Add(new Entry(seq, DateTime.UtcNow, connectionId, sql));
            var fault = _faults.Count == 0 ? null : _faults.Check(sql);
            _wake.TrySetResult();
            return (seq, fault);
        }
    }

    /// <summary>Waits until every statement up to <paramref name="seq"/> is in mz_emulator.statement_log.</summary>
    public async Task WaitUntilWrittenAsync(long seq, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task written;
            lock (_lock)
            {
                if (_writtenSeq >= seq || _stopped) return;
                written = _written.Task;
                _urgent.TrySetResult();
                _wake.TrySetResult();
            }
            await written.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Reads mz_emulator.faults again (after a session changed it).</summary>
    public async Task ReloadFaultsAsync(CancellationToken cancellationToken)
    {
        // One reload at a time, so an older read never replaces a newer one.
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            var rows = new List<FaultList.Row>();
            await using (var command = _admin.CreateCommand(
                "SELECT id, pattern, nth, action, message, seen FROM mz_emulator.faults WHERE NOT fired ORDER BY id"))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                    rows.Add(new FaultList.Row(reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2),
                        reader.GetString(3), reader.GetString(4), reader.GetInt32(5)));
            }
            lock (_lock) _faults.Replace(rows);
        }
        finally
        {
            _reloading.Release();
        }
    }

    private async Task WriteLoopAsync()
    {
        while (true)
        {
            Task wake, urgent;
            lock (_lock)
            {
                if (_pending.Count == 0 && _stopped) return;
                if (_wake.Task.IsCompleted && _pending.Count == 0) _wake = NewSignal();
                wake = _wake.Task;
                urgent = _urgent.Task;
            }
            await wake;
            if (!urgent.IsCompleted)
            {
                try { await urgent.WaitAsync(BatchWindow, _stopping.Token); }
                catch (Exception e) when (e is TimeoutException or OperationCanceledException) { }
            }

            List<Entry> batch;
            List<(int Id, int Seen, bool Fired)> faultChanges;
            lock (_lock)
            {
                batch = _pending;
                _pending = [];
                faultChanges = _faults.TakeChanges();
                _wake = NewSignal();
                if (_urgent.Task.IsCompleted) _urgent = NewSignal();
            }
            try
            {
                await WriteAsync(batch, faultChanges);
            }
            catch (Exception e)
            {
                // PostgreSQL is going away (or a defect): the entries are lost, readers must not hang.
                Console.Error.WriteLine($"emulator: cannot write {batch.Count} statement log entries: {e.Message}");
            }
            TaskCompletionSource written;
            lock (_lock)
            {
                if (batch.Count > 0) _writtenSeq = batch[^1].Seq;
                written = _written;
                _written = NewSignal();
            }
            written.TrySetResult();
        }
    }

    private async Task WriteAsync(List<Entry> batch, List<(int Id, int Seen, bool Fired)> faultChanges)
    {
        if (batch.Count == 0 && faultChanges.Count == 0) return;
        await using var connection = await _admin.OpenConnectionAsync();
        await using var npgsqlBatch = new NpgsqlBatch(connection);
        if (batch.Count > 0)
        {
            npgsqlBatch.BatchCommands.Add(new NpgsqlBatchCommand(
                "INSERT INTO mz_emulator.statement_log (seq, occurred_at, connection_id, sql) " +
                "SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::int[], $4::text[])")
            {
                Parameters =
                {
                    new NpgsqlParameter { Value = batch.Select(e => e.Seq).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                    new NpgsqlParameter { Value = batch.Select(e => e.OccurredAt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
                    new NpgsqlParameter { Value = batch.Select(e => e.ConnectionId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer },
                    new NpgsqlParameter { Value = batch.Select(e => e.Sql).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                },
            });
        }
        if (faultChanges.Count > 0)
        {
            npgsqlBatch.BatchCommands.Add(new NpgsqlBatchCommand(
                "UPDATE mz_emulator.faults f SET seen = u.seen, fired = u.fired " +
                "FROM unnest($1::int[], $2::int[], $3::bool[]) AS u(id, seen, fired) WHERE f.id = u.id")
            {
                Parameters =
                {
                    new NpgsqlParameter { Value = faultChanges.Select(c => c.Id).ToArray() },
                    new NpgsqlParameter { Value = faultChanges.Select(c => c.Seen).ToArray() },
                    new NpgsqlParameter { Value = faultChanges.Select(c => c.Fired).ToArray() },
                },
            });
        }
        await npgsqlBatch.ExecuteNonQueryAsync();
    }

    /// <summary>Reloads the faults on inject_fault/clear_faults NOTIFYs (changes made past the proxy).</summary>
    private async Task ListenLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _admin.OpenConnectionAsync(token);
                await using (var listen = new NpgsqlCommand($"LISTEN {FaultChannel}", connection))
                    await listen.ExecuteNonQueryAsync(token);
                // A change may have been made between the last reload and LISTEN.
                await ReloadFaultsAsync(token);
                while (true)
                {
                    await connection.WaitAsync(token);
                    await ReloadFaultsAsync(token);
                }
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"emulator: fault listener failed, retrying: {e.Message}");
                try { await Task.Delay(TimeSpan.FromSeconds(1), token); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Writes what is still buffered and stops the writer and the listener.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _stopped = true;
            _wake.TrySetResult();
            _urgent.TrySetResult();
        }
        await _writer;
        _stopping.Cancel();
        await _listener;
        lock (_lock) _written.TrySetResult();
    }
}

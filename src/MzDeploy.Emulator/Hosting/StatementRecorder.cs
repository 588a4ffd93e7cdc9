using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace MzDeploy.Emulator;

/// <summary>
/// The statement log and the injected faults, kept in the proxy so that a client statement costs no
/// extra round trip. <see cref="Record"/> gives every statement its global sequence number and checks
/// the faults under one lock (so faults fire exactly once, in one order across connections). A
/// background writer appends the log to mz_emulator.statement_log off the statements' path: once the
/// emulator has been quiet for <see cref="QuietTime"/>, when <see cref="MaxPending"/> entries wait,
/// or at once when a statement that reads the log waits for it (<see cref="WaitUntilWritten"/>), so
/// the log read through the proxy always holds every statement before the reading one. The fault list
/// is reloaded from mz_emulator.faults when a session that touched it goes idle
/// (<see cref="ReloadFaults"/>), and on the NOTIFY that inject_fault and clear_faults send (for
/// changes that do not pass through the proxy). Writer and listener are threads of their own with
/// blocking I/O, like the sessions: the thread pool stays idle while clients run statements.
/// </summary>
/// <remarks>
/// Why not write as statements arrive: the log shares PostgreSQL and the processors with the
/// statements it records. Writing it in 50 ms batches while a client streamed statements (the earlier
/// design) made each proxied query 15–20% slower than not writing it until the client paused
/// (in-process A/B rounds on the 2-core test VM).
/// </remarks>
internal sealed class StatementRecorder : IDisposable
{
    /// <summary>The log is written once no statement has arrived for this long.</summary>
    private static readonly long QuietTime = Stopwatch.Frequency / 10; // 100 ms

    /// <summary>The log is written when this many entries wait, however busy the emulator (bounds memory).</summary>
    private const int MaxPending = 100_000;

    private const string FaultChannel = "mz_emulator_faults";

    private readonly record struct Entry(long Seq, DateTime OccurredAt, int ConnectionId, string Sql);

    private readonly NpgsqlDataSource _admin;
    // Guards everything below; the writer and the readers of the log wait on it (Monitor).
    private readonly object _lock = new();
    private readonly FaultList _faults = new();
    private readonly object _reloading = new();
    private List<Entry> _pending = [];
    private long _lastSeq;
    private long _writtenSeq;
    private long _lastRecordedAt;
    private bool _urgent;
    private bool _stopped;
    private readonly Thread _writer;
    private readonly Thread _listener;

    private StatementRecorder(NpgsqlDataSource admin)
    {
        _admin = admin;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "mz-emulator statement log" };
        _listener = new Thread(ListenLoop) { IsBackground = true, Name = "mz-emulator fault listener" };
    }

    public static StatementRecorder Start(NpgsqlDataSource admin)
    {
        var recorder = new StatementRecorder(admin);
        using (var command = admin.CreateCommand("SELECT coalesce(max(seq), 0) FROM mz_emulator.statement_log"))
            recorder._lastSeq = recorder._writtenSeq = (long)command.ExecuteScalar()!;
        recorder.ReloadFaults();
        recorder._writer.Start();
        recorder._listener.Start();
        return recorder;
    }

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
            _lastRecordedAt = Stopwatch.GetTimestamp();
            var fault = _faults.Count == 0 ? null : _faults.Check(sql);
            // The writer sleeps until there is something to write: wake it for the first entry, and when
            // the log must be written however busy the emulator is.
            if (_pending.Count is 1 or MaxPending)
                Monitor.PulseAll(_lock);
            return (seq, fault);
        }
    }

    /// <summary>Blocks until every statement up to <paramref name="seq"/> is in mz_emulator.statement_log.</summary>
    public void WaitUntilWritten(long seq)
    {
        lock (_lock)
        {
            while (_writtenSeq < seq && !_stopped)
            {
                _urgent = true;
                Monitor.PulseAll(_lock);
                Monitor.Wait(_lock);
            }
        }
    }

    /// <summary>Reads mz_emulator.faults again (after a session changed it).</summary>
    public void ReloadFaults()
    {
        // One reload at a time, so an older read never replaces a newer one.
        lock (_reloading)
        {
            var rows = new List<FaultList.Row>();
            using (var command = _admin.CreateCommand(
                "SELECT id, pattern, nth, action, message, seen FROM mz_emulator.faults WHERE NOT fired ORDER BY id"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                    rows.Add(new FaultList.Row(reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2),
                        reader.GetString(3), reader.GetString(4), reader.GetInt32(5)));
            }
            lock (_lock)
                _faults.Replace(rows);
        }
    }

    private void WriteLoop()
    {
        while (true)
        {
            List<Entry> batch;
            List<(int Id, int Seen, bool Fired)> faultChanges;
            lock (_lock)
            {
                while (_pending.Count == 0 && !_stopped)
                    Monitor.Wait(_lock);
                if (_pending.Count == 0)
                    return;
                // Wait for a quiet moment, unless a reader waits, too much is pending, or the emulator stops.
                while (!_urgent && !_stopped && _pending.Count < MaxPending)
                {
                    var quietFor = Stopwatch.GetTimestamp() - _lastRecordedAt;
                    if (quietFor >= QuietTime)
                        break;
                    Monitor.Wait(_lock, Stopwatch.GetElapsedTime(0, QuietTime - quietFor));
                }
                batch = _pending;
                _pending = [];
                faultChanges = _faults.TakeChanges();
                _urgent = false;
            }
            try
            {
                Write(batch, faultChanges);
            }
            catch (Exception e)
            {
                // PostgreSQL is going away (or a defect): the entries are lost, readers must not hang.
                Console.Error.WriteLine($"emulator: cannot write {batch.Count} statement log entries: {e.Message}");
            }
            lock (_lock)
            {
                _writtenSeq = batch[^1].Seq;
                Monitor.PulseAll(_lock);
            }
        }
    }

    // Binary COPY: the cheapest way into the table for PostgreSQL (no SQL to parse, no arrays to build and
    // unpack), which matters because the log shares the machine with the statements it records.
    private void Write(List<Entry> batch, List<(int Id, int Seen, bool Fired)> faultChanges)
    {
        using var connection = _admin.OpenConnection();
        // The fault counters change together with the entries that moved them.
        using var transaction = faultChanges.Count > 0 ? connection.BeginTransaction() : null;
        using (var copy = connection.BeginBinaryImport(
            "COPY mz_emulator.statement_log (seq, occurred_at, connection_id, sql) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var entry in batch)
            {
                copy.StartRow();
                copy.Write(entry.Seq, NpgsqlDbType.Bigint);
                copy.Write(entry.OccurredAt, NpgsqlDbType.TimestampTz);
                copy.Write(entry.ConnectionId, NpgsqlDbType.Integer);
                copy.Write(entry.Sql, NpgsqlDbType.Text);
            }
            copy.Complete();
        }
        if (transaction == null)
            return;
        using (var update = new NpgsqlCommand(
            "UPDATE mz_emulator.faults f SET seen = u.seen, fired = u.fired " +
            "FROM unnest($1::int[], $2::int[], $3::bool[]) AS u(id, seen, fired) WHERE f.id = u.id", connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = faultChanges.Select(c => c.Id).ToArray() });
            update.Parameters.Add(new NpgsqlParameter { Value = faultChanges.Select(c => c.Seen).ToArray() });
            update.Parameters.Add(new NpgsqlParameter { Value = faultChanges.Select(c => c.Fired).ToArray() });
            update.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>Reloads the faults on inject_fault/clear_faults NOTIFYs (changes made past the proxy).</summary>
    private void ListenLoop()
    {
        while (!Volatile.Read(ref _stopped))
        {
            try
            {
                using var connection = _admin.OpenConnection();
                using (var listen = new NpgsqlCommand($"LISTEN {FaultChannel}", connection))
                    listen.ExecuteNonQuery();
                // A change may have been made between the last reload and LISTEN.
                ReloadFaults();
                while (!Volatile.Read(ref _stopped))
                {
                    if (connection.Wait(TimeSpan.FromSeconds(1)))
                        ReloadFaults();
                }
            }
            catch (Exception) when (Volatile.Read(ref _stopped))
            {
                return;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"emulator: fault listener failed, retrying: {e.Message}");
                lock (_lock)
                {
                    if (!_stopped)
                        Monitor.Wait(_lock, TimeSpan.FromSeconds(1));
                }
            }
        }
    }

    /// <summary>Writes what is still buffered and stops the writer; the listener ends at its next wake-up.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_stopped)
                return;
            _stopped = true;
            Monitor.PulseAll(_lock);
        }
        _writer.Join();
    }
}

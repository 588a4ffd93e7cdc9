using System.Diagnostics;
using MzDeploy.Emulator.Statements;

namespace MzDeploy.Emulator.Wire;

/// <summary>
/// DDL never waits for readers, as in Materialize. PostgreSQL makes a <c>DROP</c>, <c>CREATE OR REPLACE
/// VIEW</c>, <c>ALTER … RENAME</c> or swap wait for every transaction that has read the object; in
/// Materialize a read transaction holds only a timestamp, and its next statement is planned against the
/// catalog as it is then (a replaced view answers with its new query, a dropped one is an unknown item).
/// So a session whose DDL has waited <see cref="DdlPatience"/> asks the sessions holding its locks to
/// yield (<see cref="ReaderRegistry"/>); a session idle in a read transaction yields by restarting its
/// PostgreSQL transaction under its client (<c>ROLLBACK</c> and the client's own <c>BEGIN</c>, answers
/// swallowed): the client's transaction goes on, its next statement sees the current catalog. Cursors
/// (SUBSCRIBE included) do not survive the restart. Writers and other DDL transactions are not asked to
/// yield: their locks stand, as two racing DDL transactions must serialize.
/// </summary>
internal sealed partial class ClientSession
{
    /// <summary>How long a DDL statement waits for PostgreSQL before the sessions blocking it are asked to yield.</summary>
    private static readonly long DdlPatience = Stopwatch.Frequency / 10; // 100 ms

    /// <summary>How often a session idle inside a transaction wakes to see whether it was asked to yield.</summary>
    private const int YieldCheckMicroseconds = 50_000;

    private volatile bool _yieldRequested;
    // Internal queries in flight whose answers the client must not see (up to and including their ReadyForQuery).
    private int _swallowing;
    // The transaction status of PostgreSQL's last ReadyForQuery: 'I' idle, 'T' in a transaction, 'E' failed.
    private char _transactionStatus = 'I';
    private long _lastYieldAsked;

    /// <summary>Asks this session to let go of its read transaction's locks (any thread).</summary>
    private void RequestYield() => _yieldRequested = true;

    /// <summary>On the session's thread: restarts an idle read transaction when asked to.</summary>
    private void YieldIfAsked()
    {
        if (_expectations.Count > 0 || _swallowing > 0)
            return;
        _yieldRequested = false;
        if (_transactionStatus != 'T' || !_rules.InReadTransaction)
            return;
        _backend.Write(Messages.Query("ROLLBACK; " + (_rules.BeginSql ?? "BEGIN")));
        _swallowing++;
    }

    /// <summary>
    /// Drops an answer to the proxy's own restart query; ParameterStatus and notices still reach the client.
    /// True when the message was consumed.
    /// </summary>
    private bool SwallowInternal(PgMessage message)
    {
        switch (message.Kind)
        {
            case 'S' or 'N':
                return false;
            case 'Z':
                _swallowing--;
                return true;
            default:
                return true;
        }
    }

    /// <summary>Whether a DDL statement (anything but reads, inserts and session statements) waits for PostgreSQL.</summary>
    private bool DdlInFlight()
    {
        foreach (var e in _expectations)
            if (e.Statement is { Class: StatementClass.Single or StatementClass.SwapOrRename })
                return true;
        return false;
    }

    /// <summary>After a sleep that ended without traffic: a DDL statement that keeps waiting asks the sessions blocking it to yield.</summary>
    private void AskBlockersToYield()
    {
        var now = Stopwatch.GetTimestamp();
        if (now - _lastYieldAsked < DdlPatience || !DdlInFlight())
            return;
        _lastYieldAsked = now;
        _context.Readers.YieldTo(_connectionId, _context.Admin);
    }

    /// <summary>The poll(2) timeout: sessions inside a transaction or waiting on DDL wake now and then; others sleep until traffic.</summary>
    private int SleepMicroseconds() =>
        _expectations.Count > 0 ? (int)(DdlPatience * 1_000_000 / Stopwatch.Frequency)
        : _transactionStatus == 'T' ? YieldCheckMicroseconds
        : -1;
}

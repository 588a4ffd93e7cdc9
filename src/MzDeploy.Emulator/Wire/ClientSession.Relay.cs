using System.Diagnostics;
using System.Net.Sockets;

namespace MzDeploy.Emulator.Wire;

/// <summary>
/// The relay loop: one thread serves both sockets of a session with non-blocking I/O. Each turn takes
/// whatever either side has sent, handles every whole message, and sends what that produced. When a
/// turn moves nothing, the loop keeps looking for a short while (<see cref="SpinTime"/>, yielding the
/// processor between looks) before it sleeps in poll(2) on both sockets. While it looks, it mostly
/// looks at the side that speaks next: PostgreSQL while a statement is in flight, else the client.
/// </summary>
/// <remarks>
/// Why look before sleeping: a query through the proxy crosses two more sockets than one sent straight
/// to PostgreSQL, and on a virtual machine waking a sleeping thread costs tens of microseconds, as much
/// as PostgreSQL spends answering a simple query. PostgreSQL's answer, and a client's next statement,
/// usually arrive within the window, so the proxy picks them up without being woken. Yielding between
/// looks matters: the thread shares its processor with its PostgreSQL backend (<see cref="ProcessorPairing"/>).
/// Measured on the 2-core test VM (`build.ps1 bench`): two blocking threads per session, the earlier
/// design, cost 1.7–2.0× a straight query; this loop 1.2–1.75× (≈ 1.5× median), and with the thread
/// and its backend on one processor 1.1–1.6× (≈ 1.3× median). Only a few sessions
/// look at once (<see cref="SpinSlots"/>), so a crowded emulator does not burn the processors its
/// clients and PostgreSQL need, and an idle one burns nothing.
/// </remarks>
internal sealed partial class ClientSession
{
    /// <summary>How long an idle session keeps looking for input before it sleeps.</summary>
    private static readonly long SpinTime = Stopwatch.Frequency / 5_000; // 200 µs

    /// <summary>Above this much unsent output for one side, the loop stops reading from the other.</summary>
    private const int Backlog = 1024 * 1024;

    /// <summary>While looking, the side not expected to speak is read every this many looks.</summary>
    private const int OtherSideEvery = 8;

    private void Relay()
    {
        // The backend's process id is the connection id PostgreSQL sent in BackendKeyData.
        using var pairing = ProcessorPairing.Pair(_connectionId);
        _client.Socket.Blocking = false;
        _backend.Socket.Blocking = false;
        var reads = new List<Socket>(2);
        var writes = new List<Socket>(2);
        var spinning = false;
        try
        {
            var idleSince = Stopwatch.GetTimestamp();
            var looks = 0;
            var readBoth = true;
            while (true)
            {
                // One receive per look instead of two is a system call less between PostgreSQL's answer
                // (or the client's next statement) arriving and the loop seeing it (bench: ≈ 0.1× less).
                if (_yieldRequested)
                    YieldIfAsked();
                var serverNext = _expectations.Count > 0 || _swallowing > 0;
                var both = readBoth || ++looks % OtherSideEvery == 0;
                var moved = Turn(readClient: both || !serverNext, readServer: both || serverNext, out var ended);
                readBoth = moved;
                if (ended)
                {
                    // Terminate (or a fault that closes the connection): let what is queued go out first.
                    _backend.Socket.Blocking = true;
                    _backend.Flush();
                    return;
                }
                if (moved)
                {
                    idleSince = Stopwatch.GetTimestamp();
                    continue;
                }
                if (!spinning)
                    spinning = SpinSlots.TryEnter();
                if (spinning && Stopwatch.GetTimestamp() - idleSince < SpinTime)
                {
                    Thread.Yield();
                    continue;
                }
                if (spinning)
                {
                    SpinSlots.Exit();
                    spinning = false;
                }
                WaitForSockets(reads, writes);
                idleSince = Stopwatch.GetTimestamp();
                readBoth = true;
            }
        }
        finally
        {
            if (spinning)
                SpinSlots.Exit();
        }
    }

    /// <summary>One pass over both directions (receiving from the sides asked for); true when any bytes moved.</summary>
    private bool Turn(bool readClient, bool readServer, out bool ended)
    {
        ended = false;
        var moved = false;
        if (readClient && _backend.PendingOutput < Backlog)
        {
            var n = _client.Receive();
            if (n < 0)
                throw new EndOfStreamException("the client closed the connection");
            moved |= n > 0;
            while (_client.TryRead(out var message))
            {
                if (!OnClientMessage(message))
                {
                    ended = true;
                    return true;
                }
                if (_backend.PendingOutput > MessageStream.FlushThreshold)
                    _backend.TrySend();
            }
        }
        moved |= _backend.TrySend();

        if (readServer && _client.PendingOutput < Backlog)
        {
            var n = _backend.Receive();
            if (n < 0)
                throw new EndOfStreamException("PostgreSQL closed the connection");
            moved |= n > 0;
            while (_backend.TryRead(out var message))
            {
                OnServerMessage(message);
                if (_client.PendingOutput > MessageStream.FlushThreshold)
                    _client.TrySend();
            }
        }
        moved |= _client.TrySend();
        return moved;
    }

    /// <summary>Sleeps until a socket can be read (while its opposite side is not backed up) or written (when output waits).</summary>
    private void WaitForSockets(List<Socket> reads, List<Socket> writes)
    {
        reads.Clear();
        writes.Clear();
        if (_backend.PendingOutput < Backlog)
            reads.Add(_client.Socket);
        if (_client.PendingOutput < Backlog)
            reads.Add(_backend.Socket);
        if (_client.PendingOutput > 0)
            writes.Add(_client.Socket);
        if (_backend.PendingOutput > 0)
            writes.Add(_backend.Socket);
        Socket.Select(reads, writes, null, SleepMicroseconds());
        if (reads.Count == 0 && writes.Count == 0)
            AskBlockersToYield();
    }
}

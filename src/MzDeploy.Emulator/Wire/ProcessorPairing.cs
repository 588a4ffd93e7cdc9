using System.Runtime.InteropServices;

namespace MzDeploy.Emulator.Wire;

/// <summary>
/// Puts a session's relay thread and its PostgreSQL backend on one processor: the one that holds the
/// fewest sessions. Linux only (sched_setaffinity); on one processor, on other systems, or where the
/// backend may not be moved (another user's process, without CAP_SYS_NICE), sessions run unpinned.
/// </summary>
/// <remarks>
/// Why: the relay and its backend take turns. The backend works while the relay waits for its answer,
/// and the relay works while the backend waits for the next statement. On one processor the relay's
/// looking for input hands the processor straight to the backend (it yields between looks), waking the
/// other is a local enqueue instead of an interrupt to another (virtual) processor, and the client has
/// the other processors to itself. Measured on the 2-core test VM, 12 paired runs of 9 alternating
/// rounds: pinning both 1.13–1.64× a straight query (median ≈ 1.31×), unpinned 1.23–1.67× (≈ 1.50×);
/// pinning only the thread or only the backend gained nothing. Sessions are spread when they start; the
/// cost is that the kernel can no longer move a busy backend to an idle processor later.
/// </remarks>
internal static class ProcessorPairing
{
    // cpu_set_t: 1024 processors in 64-bit words.
    private const int MaskWords = 16;
    private static readonly object Lock = new();
    private static readonly int[] Processors = OperatingSystem.IsLinux() ? AllowedProcessors() : [];
    private static readonly int[] Sessions = new int[Processors.Length];
    private static int _rotation;

    /// <summary>
    /// Pins the calling thread and the backend process <paramref name="backendPid"/> to the least used
    /// processor; null when the session stays unpinned. Dispose the result when the session ends.
    /// </summary>
    public static IDisposable? Pair(int backendPid)
    {
        if (Processors.Length < 2)
            return null;
        int slot;
        lock (Lock)
        {
            slot = LeastUsed(Sessions, _rotation++);
            Sessions[slot]++;
        }
        var pairing = new Pairing(slot);
        var mask = Mask(Processors[slot]);
        // The thread last: when the backend cannot be moved, nothing needs undoing.
        if (sched_setaffinity(backendPid, MaskWords * sizeof(ulong), mask) != 0
            || sched_setaffinity(0, MaskWords * sizeof(ulong), mask) != 0)
        {
            pairing.Dispose();
            return null;
        }
        return pairing;
    }

    /// <summary>The index of the smallest count, ties broken by rotating from <paramref name="start"/> (so idle processors take turns).</summary>
    internal static int LeastUsed(IReadOnlyList<int> counts, int start)
    {
        var best = -1;
        for (var k = 0; k < counts.Count; k++)
        {
            var i = (int)((uint)(start + k) % (uint)counts.Count);
            if (best < 0 || counts[i] < counts[best])
                best = i;
        }
        return best;
    }

    private static ulong[] Mask(int processor)
    {
        var mask = new ulong[MaskWords];
        mask[processor / 64] = 1UL << (processor % 64);
        return mask;
    }

    // The processors this process may use (a container or taskset may allow fewer than the machine has).
    private static int[] AllowedProcessors()
    {
        var mask = new ulong[MaskWords];
        if (sched_getaffinity(Environment.ProcessId, MaskWords * sizeof(ulong), mask) != 0)
            return [];
        var processors = new List<int>();
        for (var p = 0; p < MaskWords * 64; p++)
            if ((mask[p / 64] & (1UL << (p % 64))) != 0)
                processors.Add(p);
        return [.. processors];
    }

    private sealed class Pairing(int slot) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
                return;
            lock (Lock)
                Sessions[slot]--;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_setaffinity(int pid, nint cpusetsize, ulong[] mask);

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_getaffinity(int pid, nint cpusetsize, ulong[] mask);
}

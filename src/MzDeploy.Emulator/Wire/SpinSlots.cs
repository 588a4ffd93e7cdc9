namespace MzDeploy.Emulator.Wire;

/// <summary>
/// How many sessions may busy-wait for input at once: one processor fewer than the machine has (at
/// least one), so that spinning sessions never take every processor from the clients and PostgreSQL
/// whose answers they wait for. A session without a slot sleeps straight away.
/// </summary>
internal static class SpinSlots
{
    private static readonly int Max = Math.Max(1, Environment.ProcessorCount - 1);
    private static int _taken;

    public static bool TryEnter()
    {
        while (true)
        {
            var taken = Volatile.Read(ref _taken);
            if (taken >= Max)
                return false;
            if (Interlocked.CompareExchange(ref _taken, taken + 1, taken) == taken)
                return true;
        }
    }

    public static void Exit() => Interlocked.Decrement(ref _taken);
}

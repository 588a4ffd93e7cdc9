using System.Diagnostics;
using MzDeploy.Emulator.Wire;

namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// A session's relay thread and its PostgreSQL backend run on one processor (the proxy's cost per query
/// depends on it, see ProcessorPairing), read back from /proc as the kernel applies it.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ProcessorPairingTests(EmulatorFixture emulator)
{
    private static readonly bool CanPin = OperatingSystem.IsLinux() && AllowedProcessors("self").Count >= 2;

    [Fact]
    public async Task A_sessions_PostgreSQL_backend_is_pinned_to_one_of_the_emulators_processors()
    {
        await using var connection = await emulator.OpenAsync();
        var pid = (int)(await connection.ScalarAsync("SELECT pg_backend_pid()"))!;
        var backend = AllowedProcessors(pid.ToString());
        if (!CanPin)
            return; // one processor: nothing to pair
        Assert.Contains(Assert.Single(backend), AllowedProcessors("self"));
    }

    [Fact]
    public void Pairing_puts_the_calling_thread_on_the_processor_of_the_process_it_pairs_with()
    {
        using var partner = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        try
        {
            var (pinned, thread) = OnOwnThread(() => ProcessorPairing.Pair(partner.Id));
            if (!CanPin)
            {
                Assert.False(pinned);
                return;
            }
            Assert.True(pinned);
            var processor = Assert.Single(thread);
            Assert.Equal([processor], AllowedProcessors(partner.Id.ToString()));
        }
        finally
        {
            partner.Kill();
        }
    }

    [Fact]
    public void When_the_partner_cannot_be_moved_the_thread_stays_unpinned()
    {
        var before = AllowedProcessors("self");
        // No process has this id (pid_max is at most 2^22), so setting its affinity fails.
        var (pinned, thread) = OnOwnThread(() => ProcessorPairing.Pair(int.MaxValue));
        Assert.False(pinned);
        Assert.Equal(before, thread);
    }

    [Theory]
    [InlineData(new[] { 0, 0 }, 0, 0)]
    [InlineData(new[] { 0, 0 }, 1, 1)]
    [InlineData(new[] { 0, 0 }, 7, 1)]
    [InlineData(new[] { 1, 0 }, 0, 1)]
    [InlineData(new[] { 2, 1, 1 }, 0, 1)]
    [InlineData(new[] { 2, 1, 1 }, 2, 2)]
    [InlineData(new[] { 3, 3, 0, 3 }, 5, 2)]
    public void New_sessions_go_to_the_least_used_processor_taking_turns_among_equals(int[] sessions, int start, int expected)
    {
        Assert.Equal(expected, ProcessorPairing.LeastUsed(sessions, start));
    }

    /// <summary>
    /// Runs a pairing on a thread of its own (so no test-runner thread gets pinned) and returns whether it
    /// pinned, with the processors that thread may use afterwards.
    /// </summary>
    private static (bool Pinned, List<int> Processors) OnOwnThread(Func<IDisposable?> pair)
    {
        var result = (false, new List<int>());
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var pairing = pair();
                result = (pairing != null, AllowedProcessors("thread-self"));
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure != null)
            throw new InvalidOperationException("pairing failed", failure);
        return result;
    }

    /// <summary>The processors a process (or "self", "thread-self") may run on: Cpus_allowed_list in /proc.</summary>
    private static List<int> AllowedProcessors(string process)
    {
        var line = File.ReadLines($"/proc/{process}/status").Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
        var processors = new List<int>();
        foreach (var range in line["Cpus_allowed_list:".Length..].Trim().Split(','))
        {
            var bounds = range.Split('-').Select(int.Parse).ToArray();
            for (var p = bounds[0]; p <= bounds[^1]; p++)
                processors.Add(p);
        }
        return processors;
    }
}

using System.Diagnostics;
using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Operations;

/// <summary>How <see cref="WaitOperation"/> waits.</summary>
/// <param name="AllowedLagSeconds">Lag above which a hydrated cluster counts as lagging.</param>
/// <param name="Timeout">Give up (<c>WaitTimeout</c>) after this long; null waits until ready, failing or cancelled.</param>
/// <param name="Once">Poll once and report the statuses as they are (mz-deploy <c>wait --once</c>).</param>
/// <param name="PollInterval">Time between polls; default one second.</param>
/// <param name="ReadDeployment">When done, read the deployment as the deployment listing does (<see cref="WaitResult.Deployment"/>).</param>
/// <param name="StableFor">The freshness gate: ready only once every cluster has stayed ready this long with no replica OOM-killed
/// (<see cref="StabilityTimer"/>); null: ready at the first poll that finds every cluster ready.</param>
/// <param name="RefuseUnstable">With <see cref="StableFor"/>: a deployment not ready at the first poll, or whose timer restarts, is an
/// error at once (<c>ClustersNotReady</c>, <c>DeploymentNotStable</c>) instead of waited for: a promote's gate watches, it does not wait.</param>
public sealed record WaitOptions(
    int AllowedLagSeconds = ClusterLag.DefaultAllowedSeconds,
    TimeSpan? Timeout = null,
    bool Once = false,
    TimeSpan? PollInterval = null,
    bool ReadDeployment = false,
    TimeSpan? StableFor = null,
    bool RefuseUnstable = false)
{
    /// <summary>The interval used when <see cref="PollInterval"/> is not given.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);
}

/// <summary>One poll's statuses, as handed to the progress callback.</summary>
/// <param name="DeployId">The deployment.</param>
/// <param name="Number">1 for the first poll.</param>
/// <param name="Elapsed">Time since the wait started.</param>
/// <param name="Clusters">The status of every staging cluster, ordered by name.</param>
public sealed record WaitPoll(string DeployId, int Number, TimeSpan Elapsed, IReadOnlyList<ClusterStatusInfo> Clusters)
{
    /// <summary>The freshness gate after this poll (how long is left, why the timer restarted); null without one.</summary>
    public StabilityStatus? Stability { get; init; }
}

/// <summary>A status query that failed with a transient error (the connection dropped, the server restarting): the wait tries again.</summary>
/// <param name="DeployId">The deployment.</param>
/// <param name="Attempt">1 for the first retry after a success.</param>
/// <param name="Delay">How long the wait sleeps before reconnecting.</param>
/// <param name="Elapsed">Time since the wait started.</param>
/// <param name="Reason">The failure, in the words of its message (never SQL).</param>
public sealed record WaitRetry(string DeployId, int Attempt, TimeSpan Delay, TimeSpan Elapsed, string Reason);

/// <summary>How a wait that did not fail ended.</summary>
/// <param name="DeployId">The deployment.</param>
/// <param name="Clusters">The last poll's statuses: all ready, or (with <see cref="WaitOptions.Once"/>) as they were; empty when the deployment has no staging clusters.</param>
/// <param name="Polls">How many status queries ran.</param>
/// <param name="Elapsed">How long the wait took.</param>
/// <param name="Deployment">The deployment as the deployment listing reads it, when <see cref="WaitOptions.ReadDeployment"/> asked for it.</param>
public sealed record WaitResult(string DeployId, IReadOnlyList<ClusterStatusInfo> Clusters, int Polls, TimeSpan Elapsed, DeploymentInfo? Deployment)
{
    /// <summary>Every staging cluster is ready (true when there are none).</summary>
    public bool AllReady => Clusters.All(c => c.State == ClusterState.Ready);
}

/// <summary>Time as the wait loop sees it, so tests can run the loop without sleeping.</summary>
internal interface IWaitClock
{
    TimeSpan Elapsed { get; }

    Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken);
}

/// <summary>
/// mz-deploy <c>wait</c>: polls the readiness of a staged deployment's clusters until every one is ready, one fails,
/// the timeout expires or the caller cancels. Unlike mz-deploy (which streams a SUBSCRIBE), it polls: each poll is
/// exactly one <see cref="ClusterStatusQuery"/> on one session that stays open for the whole wait, so a wait costs one
/// connection and one query per interval. Readiness itself is <see cref="Readiness"/>'s, shared with promote.
/// A wait is long, and a connection may drop meanwhile (a load balancer, a restarting region): a transient failure
/// (<see cref="MzDeployException.Transient"/>) after the wait has started is retried on a new session with capped
/// exponential backoff, until the timeout (without one: for <see cref="MaxOutage"/> of consecutive failures).
/// </summary>
public static class WaitOperation
{
    // How long a status query may run past the timeout before the wait gives up on it.
    private static readonly TimeSpan QueryGrace = TimeSpan.FromSeconds(5);

    /// <summary>The first retry's delay; each further one doubles it, up to <see cref="MaxBackoff"/>.</summary>
    internal static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    /// <summary>The longest sleep between two reconnection attempts.</summary>
    internal static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Without a timeout, how long the wait keeps reconnecting before it reports the connection lost.</summary>
    internal static readonly TimeSpan MaxOutage = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Waits for <paramref name="deployId"/>. <paramref name="onPoll"/> receives every poll's statuses on a pool thread,
    /// <paramref name="onRetry"/> every retry after a transient failure (also logged as verbose). Needs any mz-deploy role.
    /// The first connection is not retried: a wrong host or port is reported at once.
    /// </summary>
    /// <exception cref="MzDeployException"><c>DeploymentNotFound</c>, <c>DeploymentAlreadyPromoted</c>, <c>DeploymentFailing</c> (a cluster
    /// fails: waiting longer will not help), <c>WaitTimeout</c>, <c>ConnectionFailed</c> (the connection did not come back in time),
    /// and the connection, setup and role errors.</exception>
    public static async Task<WaitResult> RunAsync(ConnectionTarget target, string deployId, WaitOptions options, Action<WaitPoll>? onPoll,
        Action<WaitRetry>? onRetry, IOperationLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentException.ThrowIfNullOrEmpty(deployId);
        var clock = new StopwatchClock();
        await using var verified = await VerifiedSession.OpenAsync(target, RoleRequirement.AnyRole, log, cancellationToken).ConfigureAwait(false);
        await using var sessions = new WaitSessions(target, verified.Session, deployId);
        var deployment = await Readiness.RequireStagedAsync(verified.Session, deployId, cancellationToken).ConfigureAwait(false);
        log.Verbose($"Waiting for deployment '{deployId}' ({deployment.Clusters.Count} staging cluster(s), allowed lag {options.AllowedLagSeconds}s"
                    + (options.StableFor is { } stable ? $", stable for {FormatElapsed(stable)}" : "")
                    + (options.Once ? ", one poll" : options.Timeout is { } t ? $", timeout {FormatElapsed(t)}" : "") + ").");

        var result = await PollAsync(deployId, options,
            token => sessions.RunAsync(session => ClusterStatusQuery.ReadAsync(session, [deployId], options.AllowedLagSeconds, token), token),
            clock, poll =>
            {
                if (poll.Stability?.Restarted is { } why)
                {
                    log.Verbose($"Deployment '{deployId}' was not stable at {FormatElapsed(poll.Elapsed)}: the timer restarted ({why}).");
                }

                onPoll?.Invoke(poll);
            }, cancellationToken,
            onRetry: retry =>
            {
                log.Verbose($"Lost the connection while waiting for '{deployId}' ({retry.Reason}): reconnecting in {FormatElapsed(retry.Delay)} "
                            + $"(retry {retry.Attempt}).");
                onRetry?.Invoke(retry);
            })
            .ConfigureAwait(false);
        var session = await sessions.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var waiting = result.Clusters.Where(c => c.State != ClusterState.Ready).Select(c => Readiness.Describe(c, options.AllowedLagSeconds));
        log.Verbose(result.Clusters.Count == 0 ? $"Deployment '{deployId}' has no staging clusters: nothing to wait for."
            : result.AllReady ? $"All {result.Clusters.Count} cluster(s) of '{deployId}' are ready after {result.Polls} poll(s) ({FormatElapsed(result.Elapsed)})."
            : $"Deployment '{deployId}' is not ready yet: {string.Join("; ", waiting)}.");

        if (options.ReadDeployment)
        {
            var read = await DeploymentQueries.ReadAsync(session, [deployId], options.AllowedLagSeconds, cancellationToken).ConfigureAwait(false);
            var info = read.Count > 0 ? read[0] : throw DeploymentQueries.NotFound(deployId);
            // The deployment as the last poll saw it, so its status is the one the wait decided on.
            result = result with { Deployment = info with { Clusters = result.Clusters, State = ClusterStatusQuery.Combine(result.Clusters) } };
        }

        return result;
    }

    /// <summary>
    /// The loop: polls with <paramref name="read"/> (one status query) until every cluster is ready, one fails, the timeout
    /// expires or <paramref name="cancellationToken"/> is cancelled; with <see cref="WaitOptions.Once"/>, polls once. A status
    /// query still running <paramref name="queryGrace"/> (default 5 s) past the timeout is cancelled and the wait times out.
    /// </summary>
    internal static async Task<WaitResult> PollAsync(string deployId, WaitOptions options,
        Func<CancellationToken, Task<IReadOnlyList<ClusterStatusInfo>>> read, IWaitClock clock, Action<WaitPoll>? onPoll,
        CancellationToken cancellationToken, TimeSpan? queryGrace = null, Action<WaitRetry>? onRetry = null)
    {
        var interval = options.PollInterval ?? WaitOptions.DefaultPollInterval;
        var timeout = options.Timeout;
        IReadOnlyList<ClusterStatusInfo> clusters = [];
        var stability = options.StableFor is { } required ? new StabilityTimer(required) : null;
        StabilityStatus? stable = null;
        var failures = 0;
        var outageStart = TimeSpan.Zero;
        for (var polls = 1; ; polls++)
        {
            // The query itself must not outlive the timeout either: the server may hang (no command timeout is set).
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout is { } limit && !options.Once)
            {
                deadline.CancelAfter(Max(limit - clock.Elapsed, TimeSpan.Zero) + (queryGrace ?? QueryGrace));
            }

            try
            {
                clusters = await read(deadline.Token).ConfigureAwait(false);
                failures = 0;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
            {
                throw TimedOut(deployId, timeout!.Value, clusters, options.AllowedLagSeconds, stable);
            }
            catch (MzDeployException e) when (e.Transient && !options.Once)
            {
                var now = clock.Elapsed;
                outageStart = failures++ == 0 ? now : outageStart;
                // Capped exponential backoff: 1 s, 2 s, 4 s, … 30 s; never past the timeout (one last try right at it).
                var left = timeout is { } end ? end - now : MaxOutage - (now - outageStart);
                if (left <= TimeSpan.Zero)
                {
                    throw ConnectionLost(deployId, e, failures, timeout ?? MaxOutage, timeout is not null);
                }

                var backoff = Min(Min(MaxBackoff, FirstBackoff * Math.Pow(2, Math.Min(failures - 1, 16))), left);
                onRetry?.Invoke(new WaitRetry(deployId, failures, backoff, now, e.Message));
                await clock.DelayAsync(backoff, cancellationToken).ConfigureAwait(false);
                polls--; // a poll is a status read that answered
                continue;
            }

            var elapsed = clock.Elapsed;
            var wasStable = stable;
            stable = stability?.Observe(elapsed, clusters, options.AllowedLagSeconds);
            onPoll?.Invoke(new WaitPoll(deployId, polls, elapsed, clusters) { Stability = stable });
            var verdict = Readiness.Evaluate(deployId, clusters, options.AllowedLagSeconds);
            if (verdict is { } failing && failing.Error == ErrorIds.DeploymentFailing)
            {
                throw failing;
            }

            if (options.RefuseUnstable && stable is not null && !options.Once)
            {
                if (verdict is not null && wasStable is null)
                {
                    throw verdict;
                }

                if (stable.Restarted is { } why)
                {
                    throw NotStable(deployId, elapsed, wasStable!, why);
                }
            }

            if (options.Once || (clusters.All(c => c.State == ClusterState.Ready) && stable?.Stable != false))
            {
                return new WaitResult(deployId, clusters, polls, elapsed, null);
            }

            var delay = interval;
            if (stable is { Remaining: var untilStable } && untilStable > TimeSpan.Zero && verdict is null)
            {
                // Poll again right when the gate could open, not an interval later.
                delay = Min(delay, untilStable);
            }

            if (timeout is { } t)
            {
                var remaining = t - elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    throw TimedOut(deployId, t, clusters, options.AllowedLagSeconds, stable);
                }

                // One last poll right at the deadline, so a deployment that gets ready just in time is not reported late.
                delay = Min(delay, remaining);
            }

            await clock.DelayAsync(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The connection did not come back: <c>ConnectionFailed</c> (the server is unreachable, not the deployment slow),
    /// with the last failure's words and how long the wait kept trying.
    /// </summary>
    internal static MzDeployException ConnectionLost(string deployId, MzDeployException last, int attempts, TimeSpan limit, bool isTimeout) =>
        new(ErrorIds.ConnectionFailed,
            $"lost the connection to the server while waiting for deployment '{deployId}', and it did not come back "
            + $"{(isTimeout ? "within the timeout" : "in")} ({FormatElapsed(limit)}, {attempts} attempt(s)): {last.Message}", deployId,
            new Advice("Check the network and the server, then wait again: the deployment is still staged."), last)
        { SqlState = last.SqlState };

    /// <summary>
    /// The <c>WaitTimeout</c> error, naming each cluster that is not ready and its state; every cluster ready but the
    /// freshness gate not yet open (<paramref name="stability"/>): how long it has been stable of how long required.
    /// </summary>
    internal static MzDeployException TimedOut(string deployId, TimeSpan timeout, IReadOnlyList<ClusterStatusInfo> clusters, int allowedLagSeconds,
        StabilityStatus? stability = null)
    {
        var waiting = clusters.Where(c => c.State != ClusterState.Ready).Select(c => Readiness.Describe(c, allowedLagSeconds)).ToList();
        var reason = waiting.Count > 0 ? string.Join("; ", waiting)
            : stability is { Stable: false } s && clusters.Count > 0
                ? $"ready, but stable for only {FormatElapsed(s.StableFor)} of the required {FormatElapsed(s.Required)}"
                : "no cluster status was read in time";
        return new MzDeployException(ErrorIds.WaitTimeout, $"deployment '{deployId}' is not ready after {FormatElapsed(timeout)}: {reason}", deployId,
            new WaitLonger(deployId));
    }

    /// <summary>
    /// The <c>DeploymentNotStable</c> error of a promote's freshness gate: the deployment was ready, then stopped being
    /// ready or lost a replica to an OOM kill before the required time passed.
    /// </summary>
    internal static MzDeployException NotStable(string deployId, TimeSpan elapsed, StabilityStatus before, string why) =>
        new(ErrorIds.DeploymentNotStable,
            $"deployment '{deployId}' did not stay ready for {FormatElapsed(before.Required)}: after {FormatElapsed(elapsed)} of watching, {why}",
            deployId, new WaitForStableDeployment(deployId, (int)before.Required.TotalSeconds));

    /// <summary>A duration as mz-deploy's wait shows it: <c>42s</c>, <c>3m 5s</c>, <c>2h 10m</c>.</summary>
    public static string FormatElapsed(TimeSpan elapsed)
    {
        var seconds = (long)Math.Max(0, elapsed.TotalSeconds);
        return seconds < 60 ? $"{seconds}s"
            : seconds < 3600 ? $"{seconds / 60}m {seconds % 60}s"
            : $"{seconds / 3600}h {seconds % 3600 / 60}m";
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class StopwatchClock : IWaitClock
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public TimeSpan Elapsed => _watch.Elapsed;

        public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, cancellationToken);
    }
}

namespace MzDeploy.Emulator;

/// <summary>What an injected fault does to the statement it fires on.</summary>
internal sealed record FaultAction(bool Close, string Message);

/// <summary>
/// The injected faults (mz_emulator.faults) as the proxy keeps them: loaded from the table when a
/// session changed it, checked in memory for every statement. Not thread-safe: the
/// <see cref="StatementRecorder"/> calls it under its lock, which orders statements across connections.
/// The seen/fired counters are the proxy's own; changes are written back to the table in the background.
/// </summary>
internal sealed class FaultList
{
    private sealed class Fault(int id, string pattern, int nth, string action, string message, int seen)
    {
        public int Id { get; } = id;
        public LikePattern Pattern { get; } = new(pattern);
        public int Nth { get; } = nth;
        public FaultAction Action { get; } = new(action == "close", message);
        public int Seen { get; set; } = seen;
        public bool Fired { get; set; }
    }

    /// <summary>A row of mz_emulator.faults that has not fired.</summary>
    public readonly record struct Row(int Id, string Pattern, int Nth, string Action, string Message, int Seen);

    private List<Fault> _active = [];
    private Dictionary<int, Fault> _known = [];
    private readonly Dictionary<int, Fault> _changed = [];

    public int Count => _active.Count;

    /// <summary>
    /// Counts <paramref name="sql"/> against the faults in id order and returns the first one that fires
    /// (later faults do not count this statement), or null.
    /// </summary>
    public FaultAction? Check(string sql)
    {
        for (var i = 0; i < _active.Count; i++)
        {
            var fault = _active[i];
            if (!fault.Pattern.IsMatch(sql))
                continue;
            fault.Seen++;
            _changed[fault.Id] = fault;
            if (fault.Seen < fault.Nth)
                continue;
            fault.Fired = true;
            _active.RemoveAt(i);
            return fault.Action;
        }
        return null;
    }

    /// <summary>
    /// Takes the table's unfired faults as the new list. Faults the proxy already knows keep its counters
    /// (the table's may lag behind); faults no longer in the table are gone.
    /// </summary>
    public void Replace(IEnumerable<Row> rows)
    {
        var known = new Dictionary<int, Fault>();
        var active = new List<Fault>();
        foreach (var row in rows.OrderBy(r => r.Id))
        {
            if (!_known.TryGetValue(row.Id, out var fault))
                fault = new Fault(row.Id, row.Pattern, row.Nth, row.Action, row.Message, row.Seen);
            known[row.Id] = fault;
            if (!fault.Fired)
                active.Add(fault);
        }
        _known = known;
        _active = active;
    }

    /// <summary>The counters changed since the last call, to write back to mz_emulator.faults.</summary>
    public List<(int Id, int Seen, bool Fired)> TakeChanges()
    {
        if (_changed.Count == 0)
            return [];
        var changes = _changed.Values.Select(f => (f.Id, f.Seen, f.Fired)).ToList();
        _changed.Clear();
        return changes;
    }
}

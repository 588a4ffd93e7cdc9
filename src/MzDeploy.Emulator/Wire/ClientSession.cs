using System.Net.Sockets;
using System.Text;
using MzDeploy.Emulator.Statements;

namespace MzDeploy.Emulator.Wire;

/// <summary>
/// One client connection: the startup handshake (SSL refused, authentication relayed to PostgreSQL,
/// Materialize's ParameterStatus values), then the relay (<see cref="Relay"/>). Every statement from the
/// client (Query and Parse messages) goes through <see cref="StatementTranslator"/> and
/// <see cref="TransactionRules"/>; PostgreSQL's responses are matched to the statements in order and
/// their command tags rewritten. Everything else is forwarded unchanged, so extended-protocol pipelining keeps working.
/// </summary>
internal sealed partial class ClientSession
{
    private const int SslRequestCode = 80877103;
    private const int GssEncRequestCode = 80877104;
    private const int CancelRequestCode = 80877102;
    private const int ProtocolVersion3 = 196608;

    // Array types Materialize's pgwire cannot decode as bind parameters.
    private static readonly HashSet<int> ArrayTypeOids =
        [1000, 1001, 1005, 1007, 1009, 1014, 1015, 1016, 1021, 1022, 1028, 1115, 1182, 1183, 1185, 1187, 1231, 199, 2951, 3807];

    private readonly Socket _clientSocket;
    private readonly EmulatorContext _context;
    private readonly TransactionRules _rules = new();
    private readonly Queue<Expectation> _expectations = new();
    private readonly Dictionary<string, Translation> _statements = new();
    private readonly Dictionary<string, Translation> _portals = new();
    private MessageStream _client = null!;
    private MessageStream _backend = null!;
    private Socket? _backendSocket;
    // Changed when a SET database succeeded.
    private string _database = "materialize";
    private string _startupDatabase = "materialize";
    private string _startupCluster = "";
    private string _startupSearchPath = "public";
    private int _connectionId;
    // A statement that mentions the faults completed: reload them when the session is idle.
    private bool _reloadFaults;

    public ClientSession(Socket clientSocket, EmulatorContext context)
    {
        _clientSocket = clientSocket;
        _context = context;
    }

    /// <summary>What PostgreSQL's next response completes: a statement, or a Sync/Query.</summary>
    private sealed record Expectation(Translation? Statement)
    {
        public bool IsSync => Statement == null;
    }

    /// <summary>
    /// Serves the connection on a thread of its own with synchronous socket I/O (see
    /// <see cref="Relay"/>): a message is picked up by the thread that waits for it, with no hop
    /// through the socket engine and the thread pool, which matters on a busy machine.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(cancellationToken);
            }
            finally
            {
                done.SetResult();
            }
        })
        {
            IsBackground = true,
            Name = "mz-emulator session",
        };
        thread.Start();
        return done.Task;
    }

    private void Run(CancellationToken cancellationToken)
    {
        _clientSocket.NoDelay = true;
        _client = new MessageStream(_clientSocket);
        // Closing the sockets ends a blocking read or wait.
        using var closeOnStop = cancellationToken.Register(CloseSockets);
        try
        {
            if (!Startup())
                return;
            _context.Readers.Add(_connectionId, RequestYield);
            Relay();
        }
        catch (Exception e) when (IsDisconnect(e))
        {
            // The client or the server went away.
        }
        catch (Exception e) when (e is not (InvalidDataException or EmulatorException))
        {
            // A defect in the proxy: say so on stderr (the emulator's log) and tell the client.
            Console.Error.WriteLine($"emulator: session {_connectionId} failed: {e}");
            TryTellClient(Messages.Error("XX000", "emulator internal error: " + e.Message, "FATAL"));
        }
        catch (Exception e) when (e is InvalidDataException or EmulatorException)
        {
            TryTellClient(Messages.Error("08P01", e.Message, "FATAL"));
        }
        finally
        {
            _context.Readers.Remove(_connectionId);
            _backendSocket?.Dispose();
            _client.Dispose();
        }
    }

    private void TryTellClient(PgMessage error)
    {
        try
        {
            _client.Socket.Blocking = true;
            _client.Write(error);
            _client.Flush();
        }
        catch (Exception) { /* best effort */ }
    }

    private void CloseSockets()
    {
        try
        { _clientSocket.Close(); }
        catch (Exception) { /* closing anyway */ }
        try
        { _backendSocket?.Close(); }
        catch (Exception) { /* closing anyway */ }
    }

    /// <summary>Handles one message from the client; false when the session must end.</summary>
    private bool OnClientMessage(PgMessage message)
    {
        switch (message.Kind)
        {
            case 'Q':
                return HandleQuery(message);
            case 'P':
                return HandleParse(message);
            case 'B':
                {
                    var r = new BodyReader(message.Body);
                    var portal = r.CString();
                    var statement = r.CString();
                    if (_statements.TryGetValue(statement, out var t))
                        _portals[portal] = t;
                    else
                        _portals.Remove(portal);
                    _backend.Write(message);
                    return true;
                }
            case 'E':
                {
                    var portal = new BodyReader(message.Body).CString();
                    _portals.TryGetValue(portal, out var t);
                    // A prepared statement that reads the log, run again: the log must be written up to now.
                    if (t is { ReadsLog: true })
                        _context.Recorder.WaitUntilWritten(_context.Recorder.LastSeq);
                    _expectations.Enqueue(new Expectation(t ?? PassThrough));
                    _backend.Write(message);
                    return true;
                }
            case 'S' or 'F':
                _expectations.Enqueue(new Expectation(null));
                _backend.Write(message);
                return true;
            case 'X':
                _backend.Write(message);
                return false;
            default:
                _backend.Write(message);
                return true;
        }
    }

    private static readonly Translation PassThrough = new("", StatementClass.Session, "");

    private static bool IsDisconnect(Exception e) =>
        e is IOException or SocketException or OperationCanceledException or ObjectDisposedException;

    private bool HandleQuery(PgMessage message)
    {
        var sql = new BodyReader(message.Body).CString();
        var statements = TranslationCache.Translate(sql, _database);
        var translated = new Translation[statements.Length];
        var implicitBatch = statements.Length > 1;
        long waitForLog = 0;
        for (var i = 0; i < statements.Length; i++)
        {
            var (seq, fault) = _context.Recorder.Record(_connectionId, statements[i].Text);
            if (fault is { Close: true })
                return false;
            var t = statements[i].Translation;
            t = _rules.Apply(t, implicitBatch && !_rules.InExplicitTransaction);
            if (fault != null)
                t = Translation.Refusal(t.Label, "P0001", fault.Message);
            translated[i] = WithRecorderEffects(t, statements[i].Text, seq, ref waitForLog);
            if (translated[i].Positions is not null)
            {
                // One statement: its position maps back into the client's text; several are joined anew, so theirs stay as they are.
                translated[i] = statements.Length == 1
                    ? translated[i] with { ClientOffset = Math.Max(0, sql.IndexOf(statements[i].Text, StringComparison.Ordinal)) }
                    : translated[i] with { Positions = null };
            }
        }
        if (waitForLog > 0)
            _context.Recorder.WaitUntilWritten(waitForLog);
        foreach (var t in translated)
            _expectations.Enqueue(new Expectation(t));
        _expectations.Enqueue(new Expectation(null));
        if (translated.Length == 0 || (translated.Length == 1 && translated[0].Sql == sql))
            _backend.Write(message);
        else
            _backend.Write(Messages.Query(translated.Length == 1 ? translated[0].Sql : string.Join(";\n", translated.Select(t => t.Sql))));
        return true;
    }

    /// <summary>
    /// Marks a statement that mentions the statement log or the faults: the log must be written up to
    /// it before it runs (<paramref name="waitForLog"/>), and the faults reloaded once it is done.
    /// </summary>
    private static Translation WithRecorderEffects(Translation t, string sql, long seq, ref long waitForLog)
    {
        var faults = sql.Contains("fault", StringComparison.OrdinalIgnoreCase);
        if (!faults && !sql.Contains("statement_log", StringComparison.OrdinalIgnoreCase))
            return t;
        waitForLog = seq;
        return t with { ReadsLog = true, ChangesFaults = faults };
    }

    private bool HandleParse(PgMessage message)
    {
        var r = new BodyReader(message.Body);
        var name = r.CString();
        var sql = r.CString();
        var parameterTypes = new List<int>();
        int count = r.Int16();
        for (var k = 0; k < count; k++)
            parameterTypes.Add(r.Int32());

        var statements = TranslationCache.Translate(sql, _database);
        Translation t;
        if (statements.Length == 1)
        {
            var (seq, fault) = _context.Recorder.Record(_connectionId, statements[0].Text);
            if (fault is { Close: true })
                return false;
            t = statements[0].Translation;
            if (parameterTypes.Any(ArrayTypeOids.Contains))
                t = Translation.Refusal(t.Label, "0A000",
                    "array-typed bind parameters are not supported by Materialize (pass one text parameter and cast it on the server)");
            t = _rules.Apply(t, inImplicitBatch: false);
            if (fault != null)
                t = Translation.Refusal(t.Label, "P0001", fault.Message);
            long waitForLog = 0;
            t = WithRecorderEffects(t, statements[0].Text, seq, ref waitForLog);
            if (waitForLog > 0)
                _context.Recorder.WaitUntilWritten(waitForLog);
            if (t.Positions is not null)
                t = t with { ClientOffset = Math.Max(0, sql.IndexOf(statements[0].Text, StringComparison.Ordinal)) };
        }
        else
        {
            // Empty, or several statements (PostgreSQL refuses those in a prepared statement itself).
            t = new Translation(sql, StatementClass.Session, "");
        }
        _statements[name] = t;

        if (t.Sql == sql)
        {
            _backend.Write(message);
            return true;
        }
        var w = new BodyWriter().CString(name).CString(t.Sql).Int16((short)count);
        foreach (var type in parameterTypes)
            w.Int32(type);
        _backend.Write(w.Build('P'));
        return true;
    }

    /// <summary>Handles one message from PostgreSQL.</summary>
    private void OnServerMessage(PgMessage message)
    {
        if (_swallowing > 0 && SwallowInternal(message))
            return;
        switch (message.Kind)
        {
            case 'C':
                {
                    var statement = NextStatement();
                    var tag = new BodyReader(message.Body).CString();
                    if (statement?.ReportParameter is { } p)
                    {
                        var value = p.Value ?? (p.Name == "database" ? _startupDatabase : _startupCluster);
                        _client.Write(Messages.ParameterStatus(p.Name, value));
                        if (p.Name == "database")
                            _database = value;
                    }
                    if (statement is { ResetsSession: true })
                    {
                        _database = _startupDatabase;
                        _client.Write(Messages.ParameterStatus("database", _startupDatabase));
                        _client.Write(Messages.ParameterStatus("cluster", _startupCluster));
                        _client.Write(Messages.ParameterStatus("search_path", _startupSearchPath));
                    }
                    _client.Write(statement?.Tag is { } mzTag && tag != mzTag ? Messages.CommandComplete(mzTag) : message);
                    break;
                }
            case 'I' or 's':
                NextStatement();
                _client.Write(message);
                break;
            case 'E':
                {
                    // The statement that failed is the first one still expected: its error position is mapped back to the client's text.
                    var failed = _expectations.TryPeek(out var head) && !head.IsSync ? head.Statement : null;
                    while (_expectations.TryPeek(out var e) && !e.IsSync)
                        Completed(_expectations.Dequeue());
                    _client.Write(StripContext(message, failed));
                    break;
                }
            case 'N':
                _client.Write(StripContext(message));
                break;
            case 'Z':
                _transactionStatus = (char)message.Body[0];
                while (_expectations.TryDequeue(out var e) && !e.IsSync)
                    Completed(e);
                if (_expectations.Count == 0 && message.Body[0] == (byte)'I')
                    _rules.Reset();
                // inject_fault/clear_faults (or the like) committed: the client hears so only once the
                // proxy checks the new faults, so its next statement on any connection counts.
                if (_reloadFaults && message.Body[0] == (byte)'I')
                {
                    _reloadFaults = false;
                    _context.Recorder.ReloadFaults();
                }
                _client.Write(message);
                break;
            case 'S':
                _client.Write(RewriteParameterStatus(message));
                break;
            default:
                _client.Write(message);
                break;
        }
    }

    private Translation? NextStatement()
    {
        return _expectations.TryPeek(out var e) && !e.IsSync ? Completed(_expectations.Dequeue()).Statement : null;
    }

    /// <summary>A statement's response has arrived (or it was skipped after an error).</summary>
    private Expectation Completed(Expectation e)
    {
        if (e.Statement is { ChangesFaults: true })
            _reloadFaults = true;
        return e;
    }

    private PgMessage RewriteParameterStatus(PgMessage message)
    {
        var r = new BodyReader(message.Body);
        var name = r.CString();
        return name switch
        {
            "server_version" => Messages.ParameterStatus(name, "9.5.0"),
            _ => message,
        };
    }

    /// <summary>
    /// Drops the Where (context) field, which names the emulator's PL/pgSQL, and words PostgreSQL's
    /// "does not exist" errors for relations and schemas as Materialize does.
    /// </summary>
    private static PgMessage StripContext(PgMessage message, Translation? statement = null)
    {
        var r = new BodyReader(message.Body);
        var fields = new List<(byte Field, string Value)>();
        while (!r.AtEnd)
        {
            var field = r.Byte();
            if (field == 0)
                break;
            var value = r.CString();
            if (field != (byte)'W')
                fields.Add((field, value));
        }
        var state = fields.FirstOrDefault(f => f.Field == (byte)'C').Value;
        var w = new BodyWriter();
        foreach (var (field, value) in fields)
            w.Byte(field).CString(field == (byte)'M' ? MaterializeMessage(state, value)
                : field == (byte)'P' && statement?.Positions is { } map ? ClientPosition(map, statement.ClientOffset, value)
                : value);
        w.Byte(0);
        return w.Build(message.Kind);
    }

    // Position is 1-based, in characters of the statement PostgreSQL received.
    private static string ClientPosition(MzDeploy.Engine.Sql.PositionMap map, int clientOffset, string position) =>
        int.TryParse(position, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) && p > 0
            ? (map.ToOriginal(p - 1) + clientOffset + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : position;

    private static string MaterializeMessage(string? sqlState, string message)
    {
        // relation "materialize.public.t" does not exist: PostgreSQL prints "schema.relation", and the
        // emulated schema name "db.schema" makes that the Materialize three-part name.
        if (sqlState == "42P01" && Quoted(message, "relation \"", "\" does not exist") is { } item)
            return $"unknown catalog item '{item}'";
        if (sqlState == "3F000" && Quoted(message, "schema \"", "\" does not exist") is { } schema)
            return $"unknown schema '{schema}'";
        return message;
    }

    private static string? Quoted(string message, string prefix, string suffix) =>
        message.StartsWith(prefix, StringComparison.Ordinal) && message.EndsWith(suffix, StringComparison.Ordinal)
            ? message[prefix.Length..^suffix.Length]
            : null;
}

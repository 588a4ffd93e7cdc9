using System.Net.Sockets;
using System.Text;
using MzDeploy.Emulator.Statements;

namespace MzDeploy.Emulator.Wire;

/// <summary>
/// One client connection: the startup handshake (SSL refused, authentication relayed to PostgreSQL,
/// Materialize's ParameterStatus values), then two pumps. The frontend pump sends every statement
/// (Query and Parse messages) through <see cref="StatementTranslator"/> and <see cref="TransactionRules"/>;
/// the backend pump matches PostgreSQL's responses to the statements in order and rewrites their
/// command tags. Everything else is forwarded unchanged, so extended-protocol pipelining keeps working.
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
    // Written by the backend pump (after SET database succeeded), read by the frontend pump.
    private volatile string _database = "materialize";
    private string _startupDatabase = "materialize";
    private string _startupCluster = "";
    private string _startupSearchPath = "public";
    private int _connectionId;

    public ClientSession(Socket clientSocket, EmulatorContext context)
    {
        _clientSocket = clientSocket;
        _context = context;
    }

    /// <summary>What the backend pump expects next: a statement's completion, or the end of a Sync/Query.</summary>
    private sealed record Expectation(Translation? Statement)
    {
        public bool IsSync => Statement == null;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _clientSocket.NoDelay = true;
        _client = new MessageStream(new NetworkStream(_clientSocket, ownsSocket: true));
        try
        {
            if (!await StartupAsync(cancellationToken)) return;
            using var sessionEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var frontend = FrontendPumpAsync(sessionEnd.Token);
            var backend = BackendPumpAsync(sessionEnd.Token);
            await Task.WhenAny(frontend, backend);
            sessionEnd.Cancel();
            _clientSocket.Close();
            _backendSocket?.Close();
            try
            {
                await Task.WhenAll(frontend, backend);
            }
            catch (Exception e) when (!IsDisconnect(e))
            {
                Console.Error.WriteLine($"emulator: session {_connectionId} failed: {e}");
            }
            catch (Exception)
            {
                // One side went away, which ends the other.
            }
        }
        catch (Exception e) when (IsDisconnect(e))
        {
            // The client or the server went away.
        }
        catch (Exception e) when (e is not (InvalidDataException or EmulatorException))
        {
            // A defect in the proxy: say so on stderr (the emulator's log) and tell the client.
            Console.Error.WriteLine($"emulator: session {_connectionId} failed: {e}");
            try
            {
                _client.Write(Messages.Error("XX000", "emulator internal error: " + e.Message, "FATAL"));
                await _client.FlushAsync(CancellationToken.None);
            }
            catch (Exception) { /* best effort */ }
        }
        catch (Exception e) when (e is InvalidDataException or EmulatorException)
        {
            try
            {
                _client.Write(Messages.Error("08P01", e.Message, "FATAL"));
                await _client.FlushAsync(CancellationToken.None);
            }
            catch (Exception) { /* best effort */ }
        }
        finally
        {
            _backendSocket?.Dispose();
            await _client.DisposeAsync();
        }
    }

    private async Task FrontendPumpAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!_client.HasBufferedInput || _backend.PendingOutput > MessageStream.FlushThreshold)
                await _backend.FlushAsync(cancellationToken);
            var read = await _client.ReadAsync(cancellationToken);
            if (read == null) return;
            var message = read.Value;
            switch (message.Kind)
            {
                case 'Q':
                    if (!await HandleQueryAsync(message, cancellationToken)) return;
                    break;
                case 'P':
                    if (!await HandleParseAsync(message, cancellationToken)) return;
                    break;
                case 'B':
                {
                    var r = new BodyReader(message.Body);
                    var portal = r.CString();
                    var statement = r.CString();
                    lock (_expectations)
                    {
                        if (_statements.TryGetValue(statement, out var t)) _portals[portal] = t;
                        else _portals.Remove(portal);
                    }
                    _backend.Write(message);
                    break;
                }
                case 'E':
                {
                    var portal = new BodyReader(message.Body).CString();
                    lock (_expectations)
                    {
                        _portals.TryGetValue(portal, out var t);
                        _expectations.Enqueue(new Expectation(t ?? PassThrough));
                    }
                    _backend.Write(message);
                    break;
                }
                case 'S' or 'F':
                    lock (_expectations) _expectations.Enqueue(new Expectation(null));
                    _backend.Write(message);
                    break;
                case 'X':
                    _backend.Write(message);
                    await _backend.FlushAsync(cancellationToken);
                    return;
                default:
                    _backend.Write(message);
                    break;
            }
        }
    }

    private static readonly Translation PassThrough = new("", StatementClass.Session, "");

    private static bool IsDisconnect(Exception e) =>
        e is IOException or SocketException or OperationCanceledException or ObjectDisposedException;

    private async Task<bool> HandleQueryAsync(PgMessage message, CancellationToken cancellationToken)
    {
        var sql = new BodyReader(message.Body).CString();
        var statements = StatementScanner.Split(sql);
        var translated = new List<Translation>();
        var implicitBatch = statements.Count > 1;
        foreach (var statement in statements)
        {
            var fault = await RecordAsync(statement.Text, cancellationToken);
            if (fault == FaultClose) return false;
            var t = StatementTranslator.Translate(statement, _database);
            lock (_expectations) t = _rules.Apply(t, implicitBatch && !_rules.InExplicitTransaction);
            if (fault != null) t = Translation.Refusal(t.Label, "P0001", fault);
            translated.Add(t);
        }
        lock (_expectations)
        {
            foreach (var t in translated) _expectations.Enqueue(new Expectation(t));
            _expectations.Enqueue(new Expectation(null));
        }
        var text = translated.Count == 0 ? sql : string.Join(";\n", translated.Select(t => t.Sql));
        _backend.Write(Messages.Query(text));
        return true;
    }

    private async Task<bool> HandleParseAsync(PgMessage message, CancellationToken cancellationToken)
    {
        var r = new BodyReader(message.Body);
        var name = r.CString();
        var sql = r.CString();
        var parameterTypes = new List<int>();
        int count = r.Int16();
        for (var k = 0; k < count; k++) parameterTypes.Add(r.Int32());

        var statements = StatementScanner.Split(sql);
        Translation t;
        if (statements.Count == 1)
        {
            var fault = await RecordAsync(statements[0].Text, cancellationToken);
            if (fault == FaultClose) return false;
            t = StatementTranslator.Translate(statements[0], _database);
            if (parameterTypes.Any(ArrayTypeOids.Contains))
                t = Translation.Refusal(t.Label, "0A000",
                    "array-typed bind parameters are not supported by Materialize (pass one text parameter and cast it on the server)");
            lock (_expectations) t = _rules.Apply(t, inImplicitBatch: false);
            if (fault != null) t = Translation.Refusal(t.Label, "P0001", fault);
        }
        else
        {
            // Empty, or several statements (PostgreSQL refuses those in a prepared statement itself).
            t = new Translation(sql, StatementClass.Session, "");
        }
        lock (_expectations) _statements[name] = t;

        var w = new BodyWriter().CString(name).CString(t.Sql).Int16((short)count);
        foreach (var type in parameterTypes) w.Int32(type);
        _backend.Write(w.Build('P'));
        return true;
    }

    private const string FaultClose = "\0close";

    /// <summary>Logs the statement; returns an injected fault's error message, <see cref="FaultClose"/>, or null.</summary>
    private async Task<string?> RecordAsync(string sql, CancellationToken cancellationToken)
    {
        var action = await _context.RecordStatementAsync(_connectionId, sql, cancellationToken);
        return action switch
        {
            null => null,
            "close" => FaultClose,
            _ when action.StartsWith("error:", StringComparison.Ordinal) => action["error:".Length..],
            _ => null,
        };
    }

    private async Task BackendPumpAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!_backend.HasBufferedInput || _client.PendingOutput > MessageStream.FlushThreshold)
                await _client.FlushAsync(cancellationToken);
            var read = await _backend.ReadAsync(cancellationToken);
            if (read == null) return;
            var message = read.Value;
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
                        if (p.Name == "database") _database = value;
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
                    lock (_expectations)
                    {
                        while (_expectations.TryPeek(out var e) && !e.IsSync) _expectations.Dequeue();
                    }
                    _client.Write(StripContext(message));
                    break;
                case 'N':
                    _client.Write(StripContext(message));
                    break;
                case 'Z':
                    lock (_expectations)
                    {
                        while (_expectations.TryDequeue(out var e) && !e.IsSync) { }
                        if (_expectations.Count == 0 && message.Body[0] == (byte)'I') _rules.Reset();
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
    }

    private Translation? NextStatement()
    {
        lock (_expectations)
        {
            return _expectations.TryPeek(out var e) && !e.IsSync ? _expectations.Dequeue().Statement : null;
        }
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
    private static PgMessage StripContext(PgMessage message)
    {
        var r = new BodyReader(message.Body);
        var fields = new List<(byte Field, string Value)>();
        while (!r.AtEnd)
        {
            var field = r.Byte();
            if (field == 0) break;
            var value = r.CString();
            if (field != (byte)'W') fields.Add((field, value));
        }
        var state = fields.FirstOrDefault(f => f.Field == (byte)'C').Value;
        var w = new BodyWriter();
        foreach (var (field, value) in fields)
            w.Byte(field).CString(field == (byte)'M' ? MaterializeMessage(state, value) : value);
        w.Byte(0);
        return w.Build(message.Kind);
    }

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

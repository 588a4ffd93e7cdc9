using System.Net.Sockets;
using System.Text;

namespace MzDeploy.Emulator.Wire;

/// <summary>The startup handshake: SSL refused, authentication relayed, Materialize's ParameterStatus values.</summary>
internal sealed partial class ClientSession
{
    private bool Startup()
    {
        PgMessage startup;
        while (true)
        {
            var packet = _client.ReadUntyped();
            if (packet == null)
                return false;
            var code = new BodyReader(packet.Value.Body).Int32();
            if (code is SslRequestCode or GssEncRequestCode)
            {
                _client.WriteRaw("N"u8);
                _client.Flush();
                continue;
            }
            if (code == CancelRequestCode)
            {
                ForwardCancel(packet.Value);
                return false;
            }
            if (code != ProtocolVersion3)
                throw new InvalidDataException($"unsupported frontend protocol {code >> 16}.{code & 0xffff}");
            startup = packet.Value;
            break;
        }

        var parameters = StartupParameters.Parse(startup.Body);
        _database = _startupDatabase = parameters.Database;
        if (parameters.Settings.TryGetValue("search_path", out var searchPath))
            _startupSearchPath = searchPath;
        _context.EnsureBypassMember(parameters.User);
        _backendSocket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _backendSocket.Connect(new UnixDomainSocketEndPoint(_context.Postgres.SocketPath));
        _backend = new MessageStream(_backendSocket);
        _backend.Write(parameters.BackendStartup(Postgres.PostgresServer.DatabaseName));
        _backend.Flush();

        // Relay authentication and the rest of the handshake until ReadyForQuery.
        while (true)
        {
            var message = _backend.Read() ?? throw new IOException("server closed the connection");
            switch (message.Kind)
            {
                case 'R':
                    _client.Write(message);
                    _client.Flush();
                    var request = new BodyReader(message.Body).Int32();
                    if (request is 0 or 12)
                        break; // AuthenticationOk, SASLFinal: no answer
                    var answer = _client.Read();
                    if (answer == null)
                        return false;
                    _backend.Write(answer.Value);
                    _backend.Flush();
                    break;
                case 'S':
                    _client.Write(RewriteParameterStatus(message));
                    break;
                case 'K':
                    _connectionId = new BodyReader(message.Body).Int32();
                    _client.Write(message);
                    break;
                case 'E':
                    _client.Write(StripContext(message));
                    _client.Flush();
                    return false;
                case 'Z':
                    var cluster = QueryScalar("SELECT pg_catalog.current_setting('mz.cluster', true)");
                    _startupCluster = cluster ?? "";
                    _client.Write(Messages.ParameterStatus("mz_version", _context.MzVersion));
                    _client.Write(Messages.ParameterStatus("database", _database));
                    _client.Write(Messages.ParameterStatus("cluster", cluster ?? ""));
                    _client.Write(Messages.ParameterStatus("search_path", _startupSearchPath));
                    _client.Write(message);
                    _client.Flush();
                    return true;
                default:
                    _client.Write(message);
                    break;
            }
        }
    }

    /// <summary>Runs one query on the backend for the proxy itself (before the client may send anything).</summary>
    private string? QueryScalar(string sql)
    {
        _backend.Write(Messages.Query(sql));
        _backend.Flush();
        string? value = null;
        while (true)
        {
            var m = _backend.Read() ?? throw new IOException("server closed the connection");
            if (m.Kind == 'D')
            {
                var r = new BodyReader(m.Body);
                if (r.Int16() > 0)
                {
                    var length = r.Int32();
                    value = length < 0 ? null : Encoding.UTF8.GetString(r.Rest()[..length]);
                }
            }
            else if (m.Kind == 'E')
            {
                throw new EmulatorException("session setup failed: " + Messages.ReadError(m).Message);
            }
            else if (m.Kind == 'Z')
            {
                return value;
            }
        }
    }

    private void ForwardCancel(PgMessage packet)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(_context.Postgres.SocketPath));
        socket.Send(packet.ToBytes());
    }
}

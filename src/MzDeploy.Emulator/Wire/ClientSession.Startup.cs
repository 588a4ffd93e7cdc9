using System.Net.Sockets;
using System.Text;

namespace MzDeploy.Emulator.Wire;

/// <summary>The startup handshake: SSL refused, authentication relayed, Materialize's ParameterStatus values.</summary>
internal sealed partial class ClientSession
{
    private async Task<bool> StartupAsync(CancellationToken cancellationToken)
    {
        PgMessage startup;
        while (true)
        {
            var packet = await _client.ReadUntypedAsync(cancellationToken);
            if (packet == null) return false;
            var code = new BodyReader(packet.Value.Body).Int32();
            if (code is SslRequestCode or GssEncRequestCode)
            {
                _client.WriteRaw("N"u8);
                await _client.FlushAsync(cancellationToken);
                continue;
            }
            if (code == CancelRequestCode)
            {
                await ForwardCancelAsync(packet.Value, cancellationToken);
                return false;
            }
            if (code != ProtocolVersion3)
                throw new InvalidDataException($"unsupported frontend protocol {code >> 16}.{code & 0xffff}");
            startup = packet.Value;
            break;
        }

        var parameters = StartupParameters.Parse(startup.Body);
        _database = _startupDatabase = parameters.Database;
        if (parameters.Settings.TryGetValue("search_path", out var searchPath)) _startupSearchPath = searchPath;
        _backendSocket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await _backendSocket.ConnectAsync(new UnixDomainSocketEndPoint(_context.Postgres.SocketPath), cancellationToken);
        _backend = new MessageStream(new NetworkStream(_backendSocket, ownsSocket: false));
        _backend.Write(parameters.BackendStartup(Postgres.PostgresServer.DatabaseName));
        await _backend.FlushAsync(cancellationToken);

        // Relay authentication and the rest of the handshake until ReadyForQuery.
        while (true)
        {
            var message = await _backend.ReadAsync(cancellationToken) ?? throw new IOException("server closed the connection");
            switch (message.Kind)
            {
                case 'R':
                    _client.Write(message);
                    await _client.FlushAsync(cancellationToken);
                    var request = new BodyReader(message.Body).Int32();
                    if (request is 0 or 12) break; // AuthenticationOk, SASLFinal: no answer
                    var answer = await _client.ReadAsync(cancellationToken);
                    if (answer == null) return false;
                    _backend.Write(answer.Value);
                    await _backend.FlushAsync(cancellationToken);
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
                    await _client.FlushAsync(cancellationToken);
                    return false;
                case 'Z':
                    var cluster = await QueryScalarAsync("SELECT pg_catalog.current_setting('mz.cluster', true)", cancellationToken);
                    _startupCluster = cluster ?? "";
                    _client.Write(Messages.ParameterStatus("mz_version", _context.MzVersion));
                    _client.Write(Messages.ParameterStatus("database", _database));
                    _client.Write(Messages.ParameterStatus("cluster", cluster ?? ""));
                    _client.Write(Messages.ParameterStatus("search_path", _startupSearchPath));
                    _client.Write(message);
                    await _client.FlushAsync(cancellationToken);
                    return true;
                default:
                    _client.Write(message);
                    break;
            }
        }
    }

    /// <summary>Runs one query on the backend for the proxy itself (before the client may send anything).</summary>
    private async Task<string?> QueryScalarAsync(string sql, CancellationToken cancellationToken)
    {
        _backend.Write(Messages.Query(sql));
        await _backend.FlushAsync(cancellationToken);
        string? value = null;
        while (true)
        {
            var m = await _backend.ReadAsync(cancellationToken) ?? throw new IOException("server closed the connection");
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

    private async Task ForwardCancelAsync(PgMessage packet, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_context.Postgres.SocketPath), cancellationToken);
        await socket.SendAsync(packet.ToBytes(), cancellationToken);
    }
}

using System.Net;
using System.Net.Sockets;
using MzDeploy.Emulator.Postgres;
using MzDeploy.Emulator.Wire;

namespace MzDeploy.Emulator;

/// <summary>
/// A running emulator: PostgreSQL started on its private socket, bootstrapped, and a listener on
/// 127.0.0.1 that serves every connection with a <see cref="ClientSession"/>. With TLS
/// (<see cref="EmulatorOptions.Tls"/>) the public listener is a <see cref="TlsFront"/> that relays each decrypted
/// connection to the session listener, which then listens on a private loopback port. Dispose to stop everything.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly TcpListener? _tlsListener;
    private readonly TlsMaterial? _tls;
    private readonly PostgresServer _postgres;
    private readonly EmulatorContext _context;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _sessions = [];
    private Task _acceptLoop = Task.CompletedTask;
    private Task _tlsAcceptLoop = Task.CompletedTask;
    private int _stopped;

    private EmulatorServer(TcpListener listener, TcpListener? tlsListener, TlsMaterial? tls, PostgresServer postgres, EmulatorContext context)
    {
        _listener = listener;
        _tlsListener = tlsListener;
        _tls = tls;
        _postgres = postgres;
        _context = context;
    }

    /// <summary>The port clients connect to on 127.0.0.1.</summary>
    public int Port => ((IPEndPoint)(_tlsListener ?? _listener).LocalEndpoint).Port;

    /// <summary>With TLS: the certificate authority clients trust (<c>sslrootcert</c>); otherwise null.</summary>
    public string? CaCertificatePath => _tls?.CaCertificatePath;

    /// <summary>An Npgsql connection string for the superuser <c>materialize</c>.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=materialize;Database=materialize";

    /// <summary>
    /// An Npgsql connection string for <c>materialize</c> straight to the PostgreSQL behind the proxy,
    /// over its private unix socket (for diagnostics, tests and the proxy benchmark).
    /// </summary>
    public string PostgresConnectionString =>
        $"Host={_postgres.SocketDir};Port={PostgresServer.SocketPort};Username=materialize;Database={PostgresServer.DatabaseName}";

    public static async Task<EmulatorServer> StartAsync(EmulatorOptions options, CancellationToken cancellationToken = default)
    {
        // Claim the port first: a busy port must fail before PostgreSQL is started.
        var publicListener = Listen(options.Port);
        // With TLS, sessions listen privately and the public port belongs to the TLS front.
        var listener = options.Tls ? Listen(0) : publicListener;
        var tlsListener = options.Tls ? publicListener : null;

        var postgres = new PostgresServer(options.DataDirectory, options.PostgresBinDirectory) { Template = options.TemplateDirectory };
        EmulatorContext context;
        TlsMaterial? tls = null;
        try
        {
            if (options.Tls)
            {
                tls = TlsMaterial.LoadOrCreate(options.DataDirectory);
            }

            await postgres.StartAsync(cancellationToken);
            await CatalogBootstrap.RunAsync(postgres, cancellationToken);
            context = await EmulatorContext.CreateAsync(postgres, cancellationToken);
        }
        catch
        {
            listener.Stop();
            tlsListener?.Stop();
            await postgres.StopAsync();
            throw;
        }

        var server = new EmulatorServer(listener, tlsListener, tls, postgres, context);
        server._acceptLoop = server.AcceptLoopAsync();
        if (tlsListener is not null)
        {
            server._tlsAcceptLoop = server.TlsAcceptLoopAsync(tlsListener, tls!);
        }

        return server;
    }

    private static TcpListener Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, false);
            listener.Start(512);
            return listener;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new EmulatorException($"port {port} on 127.0.0.1 is already in use (is another emulator running?)", e);
        }
        catch (SocketException e)
        {
            throw new EmulatorException($"cannot listen on 127.0.0.1:{port}: {e.Message}", e);
        }
    }

    private async Task TlsAcceptLoopAsync(TcpListener tlsListener, TlsMaterial tls)
    {
        var inner = (IPEndPoint)_listener.LocalEndpoint;
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await tlsListener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            socket.NoDelay = true;
            lock (_sessions)
            {
                _sessions.RemoveAll(t => t.IsCompleted);
                _sessions.Add(Task.Run(() => TlsFront.ServeAsync(socket, inner, tls, _stopping.Token)));
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var session = new ClientSession(socket, _context);
            lock (_sessions)
            {
                _sessions.RemoveAll(t => t.IsCompleted);
                _sessions.Add(Task.Run(() => session.RunAsync(_stopping.Token)));
            }
        }
    }

    /// <summary>Stops accepting, closes every session and stops PostgreSQL.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
            return;
        _stopping.Cancel();
        _tlsListener?.Stop();
        _listener.Stop();
        await _tlsAcceptLoop;
        await _acceptLoop;
        Task[] sessions;
        lock (_sessions)
            sessions = [.. _sessions];
        await Task.WhenAny(Task.WhenAll(sessions), Task.Delay(TimeSpan.FromSeconds(5)));
        await _context.DisposeAsync();
        await _postgres.StopAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

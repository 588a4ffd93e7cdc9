using System.Net;
using System.Net.Sockets;
using MzDeploy.Emulator.Postgres;
using MzDeploy.Emulator.Wire;

namespace MzDeploy.Emulator;

/// <summary>
/// A running emulator: PostgreSQL started on its private socket, bootstrapped, and a listener on
/// 127.0.0.1 that serves every connection with a <see cref="ClientSession"/>. Dispose to stop both.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly PostgresServer _postgres;
    private readonly EmulatorContext _context;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _sessions = [];
    private Task _acceptLoop = Task.CompletedTask;
    private int _stopped;

    private EmulatorServer(TcpListener listener, PostgresServer postgres, EmulatorContext context)
    {
        _listener = listener;
        _postgres = postgres;
        _context = context;
    }

    /// <summary>The port clients connect to on 127.0.0.1.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

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
        var listener = new TcpListener(IPAddress.Loopback, options.Port);
        try
        {
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, false);
            listener.Start(512);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new EmulatorException($"port {options.Port} on 127.0.0.1 is already in use (is another emulator running?)", e);
        }
        catch (SocketException e)
        {
            throw new EmulatorException($"cannot listen on 127.0.0.1:{options.Port}: {e.Message}", e);
        }

        var postgres = new PostgresServer(options.DataDirectory, options.PostgresBinDirectory);
        EmulatorContext context;
        try
        {
            await postgres.StartAsync(cancellationToken);
            await CatalogBootstrap.RunAsync(postgres, cancellationToken);
            context = await EmulatorContext.CreateAsync(postgres, cancellationToken);
        }
        catch
        {
            listener.Stop();
            await postgres.StopAsync();
            throw;
        }

        var server = new EmulatorServer(listener, postgres, context);
        server._acceptLoop = server.AcceptLoopAsync();
        return server;
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
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        _stopping.Cancel();
        _listener.Stop();
        await _acceptLoop;
        Task[] sessions;
        lock (_sessions) sessions = [.. _sessions];
        await Task.WhenAny(Task.WhenAll(sessions), Task.Delay(TimeSpan.FromSeconds(5)));
        await _context.DisposeAsync();
        await _postgres.StopAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

using System.Runtime.InteropServices;
using MzDeploy.Emulator;

// dotnet run --project src/MzDeploy.Emulator -- [--data <dir>] [--port <port>] [--tls]
// Prints "ready: 127.0.0.1:<port>" once it accepts connections (with --tls, first "tls-ca: <path>", the certificate
// authority clients must trust); Ctrl+C or SIGTERM stops it.

var data = EmulatorOptions.DefaultDataDirectory;
var port = EmulatorOptions.DefaultPort;
var tls = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--data" when i + 1 < args.Length:
            data = args[++i];
            break;
        case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], out var p) && p is >= 0 and <= 65535:
            port = p;
            i++;
            break;
        case "--tls":
            tls = true;
            break;
        case "-h" or "--help":
            Console.WriteLine("usage: MzDeploy.Emulator [--data <dir>] [--port <port>] [--tls]");
            return 0;
        default:
            Console.Error.WriteLine($"error: unexpected argument '{args[i]}' (usage: --data <dir> --port <port> --tls)");
            return 2;
    }
}

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });

EmulatorServer server;
try
{
    server = await EmulatorServer.StartAsync(new EmulatorOptions(data, port, Tls: tls), stop.Token);
}
catch (EmulatorException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 1;
}
catch (OperationCanceledException)
{
    return 1;
}

await using (server)
{
    if (server.CaCertificatePath is { } ca)
    {
        Console.WriteLine($"tls-ca: {ca}");
    }

    Console.WriteLine($"ready: 127.0.0.1:{server.Port}");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        // Ctrl+C or SIGTERM: dispose stops PostgreSQL.
    }
}
return 0;

using System.Runtime.InteropServices;
using MzDeploy.Emulator;

// dotnet run --project src/MzDeploy.Emulator -- [--data <dir>] [--port <port>] [--tls] [--pg-bin <dir>] [--template <dir>] [--exit-with-stdin]
// Prints "ready: 127.0.0.1:<port>" once it accepts connections (with --tls, first "tls-ca: <path>", the certificate
// authority clients must trust); Ctrl+C or SIGTERM stops it. --pg-bin names the PostgreSQL bin folder to run.
// --exit-with-stdin also stops it when standard input ends: a parent that started it as its private sandbox holds
// the pipe, so the emulator (and its PostgreSQL) cannot outlive the parent, however the parent ends.
// --template <dir> names a stopped emulator's data folder: a data folder without a cluster starts as a copy of it.

var data = EmulatorOptions.DefaultDataDirectory;
var port = EmulatorOptions.DefaultPort;
var tls = false;
string? postgresBin = null;
var exitWithStdin = false;
string? template = null;
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
        case "--pg-bin" when i + 1 < args.Length:
            postgresBin = args[++i];
            break;
        case "--template" when i + 1 < args.Length:
            template = args[++i];
            break;
        case "--exit-with-stdin":
            exitWithStdin = true;
            break;
        case "-h" or "--help":
            Console.WriteLine(Usage);
            return 0;
        default:
            Console.Error.WriteLine($"error: unexpected argument '{args[i]}' ({Usage})");
            return 2;
    }
}

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
if (exitWithStdin)
{
    // Started before PostgreSQL so that a parent gone during the start stops it too.
    _ = Task.Run(async () =>
    {
        await Console.OpenStandardInput().CopyToAsync(Stream.Null);
        stop.Cancel();
    });
}

EmulatorServer server;
try
{
    server = await EmulatorServer.StartAsync(new EmulatorOptions(data, port, postgresBin, tls, template), stop.Token);
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

internal static partial class Program
{
    private const string Usage = "usage: MzDeploy.Emulator [--data <dir>] [--port <port>] [--tls] [--pg-bin <dir>] [--template <dir>] [--exit-with-stdin]";
}

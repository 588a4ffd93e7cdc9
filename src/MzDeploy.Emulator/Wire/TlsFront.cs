using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace MzDeploy.Emulator.Wire;

/// <summary>
/// The public side of an emulator started with <c>--tls</c>: for each client it answers PostgreSQL's SSLRequest with
/// <c>S</c>, completes the TLS handshake with the emulator's certificate and then relays the decrypted bytes to the
/// emulator's own (plain, loopback-only) listener, where a <see cref="ClientSession"/> serves them as usual. A client
/// that does not ask for TLS is refused as Materialize refuses it; a plain CancelRequest is passed through (it carries no
/// secrets, and clients send it on a connection of its own).
/// </summary>
internal static class TlsFront
{
    private const int SslRequestCode = 80877103;
    private const int GssEncRequestCode = 80877104;
    private const int CancelRequestCode = 80877102;

    public static async Task ServeAsync(Socket client, IPEndPoint inner, TlsMaterial tls, CancellationToken cancellationToken)
    {
        using var clientStream = new NetworkStream(client, ownsSocket: true);
        try
        {
            var header = new byte[8];
            while (true)
            {
                await clientStream.ReadExactlyAsync(header, cancellationToken);
                var length = BinaryPrimitives.ReadInt32BigEndian(header);
                var code = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
                if (code == GssEncRequestCode)
                {
                    await clientStream.WriteAsync("N"u8.ToArray(), cancellationToken);
                    continue;
                }

                if (code == SslRequestCode)
                {
                    await clientStream.WriteAsync("S"u8.ToArray(), cancellationToken);
                    break;
                }

                if (code == CancelRequestCode && length == 16)
                {
                    var rest = new byte[8];
                    await clientStream.ReadExactlyAsync(rest, cancellationToken);
                    using var cancel = await ConnectAsync(inner, cancellationToken);
                    await cancel.WriteAsync(header, cancellationToken);
                    await cancel.WriteAsync(rest, cancellationToken);
                    return;
                }

                // A startup message without TLS first.
                await clientStream.WriteAsync(Messages.Error("28000", "TLS is required: connect with sslmode=require or stricter", "FATAL").ToBytes(), cancellationToken);
                return;
            }

            using var ssl = new SslStream(clientStream, leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = tls.ServerCertificate,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateRequired = false,
            }, cancellationToken);
            using var backend = await ConnectAsync(inner, cancellationToken);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var up = PumpAsync(ssl, backend, stop.Token);
            var down = PumpAsync(backend, ssl, stop.Token);
            await Task.WhenAny(up, down);
            stop.Cancel();
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or OperationCanceledException or EndOfStreamException or ObjectDisposedException)
        {
            // The client went away, or its TLS handshake failed (it did not trust the certificate): nothing to serve.
        }
    }

    private static async Task<NetworkStream> ConnectAsync(IPEndPoint inner, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(inner, cancellationToken);
        return new NetworkStream(socket, ownsSocket: true);
    }

    private static async Task PumpAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await to.FlushAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side closed.
        }
    }
}

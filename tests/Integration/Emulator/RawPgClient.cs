using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// A minimal protocol-3 client for what Npgsql hides: command tags, ParameterStatus messages, the answer
/// to SSLRequest, and multi-statement simple queries exactly as written.
/// </summary>
public sealed class RawPgClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawPgClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public Dictionary<string, string> Parameters { get; } = new();

    /// <summary>Connects; with <paramref name="sslRequest"/> it first sends SSLRequest and records the answer byte.</summary>
    public static RawPgClient Connect(int port, string user = "materialize", string database = "materialize",
        string? options = null, bool sslRequest = false)
    {
        var client = new RawPgClient(new TcpClient("127.0.0.1", port));
        if (sslRequest)
        {
            var ssl = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(ssl, 8);
            BinaryPrimitives.WriteInt32BigEndian(ssl.AsSpan(4), 80877103);
            client._stream.Write(ssl);
            client.SslAnswer = (char)client._stream.ReadByte();
        }
        var body = new MemoryStream();
        void Str(string s)
        { body.Write(Encoding.UTF8.GetBytes(s)); body.WriteByte(0); }
        body.Write([0, 3, 0, 0]);
        Str("user");
        Str(user);
        Str("database");
        Str(database);
        if (options != null)
        { Str("options"); Str(options); }
        body.WriteByte(0);
        var packet = new byte[body.Length + 4];
        BinaryPrimitives.WriteInt32BigEndian(packet, packet.Length);
        body.ToArray().CopyTo(packet, 4);
        client._stream.Write(packet);
        while (true)
        {
            var (type, payload) = client.Read();
            if (type == 'S')
            {
                var parts = Encoding.UTF8.GetString(payload).Split('\0');
                client.Parameters[parts[0]] = parts[1];
            }
            else if (type == 'E')
                throw new InvalidOperationException("startup failed: " + ErrorText(payload));
            else if (type == 'Z')
                return client;
        }
    }

    public char? SslAnswer { get; private set; }

    /// <summary>Sends one simple Query; returns each statement's command tag, or "ERROR: message".</summary>
    public List<string> Query(string sql)
    {
        _stream.Write(QueryMessage(sql));
        return ReadUntilReady(out _);
    }

    public char TransactionStatus { get; private set; }

    /// <summary>
    /// Sends every query at once (from another task) and reads the answers only after
    /// <paramref name="readAfter"/>, as a pipelining client that is slow to read would. Returns each
    /// query's command tags or errors, and the bytes of the data rows received.
    /// </summary>
    public async Task<(List<List<string>> Results, long RowBytes)> PipelineAsync(IReadOnlyList<string> queries, TimeSpan readAfter)
    {
        var writing = Task.Run(() =>
        {
            foreach (var sql in queries)
                _stream.Write(QueryMessage(sql));
        });
        await Task.Delay(readAfter);
        var results = new List<List<string>>();
        long rowBytes = 0;
        while (results.Count < queries.Count)
        {
            results.Add(ReadUntilReady(out var bytes));
            rowBytes += bytes;
        }
        await writing;
        return (results, rowBytes);
    }

    /// <summary>Reads one query's answers up to ReadyForQuery: its command tags or errors, and the bytes of its data rows.</summary>
    private List<string> ReadUntilReady(out long rowBytes)
    {
        var results = new List<string>();
        rowBytes = 0;
        while (true)
        {
            var (type, payload) = Read();
            switch (type)
            {
                case 'C':
                    results.Add(Encoding.UTF8.GetString(payload).TrimEnd('\0'));
                    break;
                case 'E':
                    results.Add("ERROR: " + ErrorText(payload));
                    break;
                case 'D':
                    rowBytes += payload.Length;
                    break;
                case 'S':
                    var parts = Encoding.UTF8.GetString(payload).Split('\0');
                    Parameters[parts[0]] = parts[1];
                    break;
                case 'Z':
                    TransactionStatus = (char)payload[0];
                    return results;
            }
        }
    }

    private static byte[] QueryMessage(string sql)
    {
        var text = Encoding.UTF8.GetBytes(sql);
        var message = new byte[text.Length + 6];
        message[0] = (byte)'Q';
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), text.Length + 5);
        text.CopyTo(message, 5);
        return message;
    }

    private (char Type, byte[] Payload) Read()
    {
        var header = new byte[5];
        _stream.ReadExactly(header);
        var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
        var payload = new byte[length - 4];
        _stream.ReadExactly(payload);
        return ((char)header[0], payload);
    }

    private static string ErrorText(byte[] payload)
    {
        var fields = Encoding.UTF8.GetString(payload).Split('\0');
        return fields.FirstOrDefault(f => f.StartsWith('M'))?[1..] ?? "";
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }
}

using System.Buffers.Binary;
using System.Net.Sockets;

namespace MzDeploy.Emulator.Wire;

/// <summary>
/// Reads and writes protocol messages on one socket with its own buffers. Two ways to use it: blocking
/// (<see cref="Read"/>, <see cref="ReadUntyped"/>, <see cref="Flush"/>) for the startup handshake, and
/// non-blocking (<see cref="Receive"/>, <see cref="TryRead"/>, <see cref="TrySend"/>) for the relay
/// loop of <see cref="ClientSession"/>, which serves both sockets of a session on one thread.
/// </summary>
internal sealed class MessageStream : IDisposable
{
    private const int MaxMessageLength = 1 << 30;
    private const int InitialBufferSize = 64 * 1024;
    private readonly Socket _socket;
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;
    private readonly MemoryStream _output = new();
    // Bytes at the head of _output already sent by a partial non-blocking send.
    private int _sent;

    public MessageStream(Socket socket) => _socket = socket;

    public Socket Socket => _socket;

    /// <summary>Output above this size is sent even while more input waits (large results, COPY).</summary>
    public const int FlushThreshold = 64 * 1024;

    /// <summary>Bytes queued by <see cref="Write"/> and not yet sent.</summary>
    public long PendingOutput => _output.Length - _sent;

    /// <summary>Reads a typed message, blocking; null at end of stream.</summary>
    public PgMessage? Read()
    {
        while (true)
        {
            if (TryRead(out var message))
                return message;
            if (!ReceiveBlocking())
                return null;
        }
    }

    /// <summary>Reads a startup-phase packet (length word first, no type byte), blocking; null at end of stream.</summary>
    public PgMessage? ReadUntyped()
    {
        while (_end - _start < 4)
            if (!ReceiveBlocking())
                return null;
        var length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start));
        if (length < 8 || length > 1 << 20)
            throw new InvalidDataException($"invalid startup packet length {length}");
        while (_end - _start < length)
            if (!ReceiveBlocking())
                return null;
        var body = _buffer.AsSpan(_start + 4, length - 4).ToArray();
        _start += length;
        return new PgMessage(PgMessage.Untyped, body);
    }

    /// <summary>Takes the next typed message if it is wholly buffered; no I/O.</summary>
    public bool TryRead(out PgMessage message)
    {
        message = default;
        if (_end - _start < 5)
            return false;
        var length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start + 1));
        if (length < 4 || length > MaxMessageLength)
            throw new InvalidDataException($"invalid message length {length}");
        if (_end - _start < length + 1)
        {
            // Make room for the whole message, so that receiving more can complete it.
            if (length + 1 > _buffer.Length)
                Array.Resize(ref _buffer, Math.Max(length + 1, _buffer.Length * 2));
            return false;
        }
        message = new PgMessage(_buffer[_start], _buffer.AsSpan(_start + 5, length - 4).ToArray());
        _start += length + 1;
        if (_start == _end)
            _start = _end = 0;
        return true;
    }

    /// <summary>
    /// Receives what the socket has without blocking (the socket must be non-blocking): the number of
    /// bytes, 0 when nothing is waiting, -1 at end of stream.
    /// </summary>
    public int Receive()
    {
        MakeRoom();
        var n = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
            return 0;
        if (error != SocketError.Success)
            throw new SocketException((int)error);
        if (n == 0)
            return -1;
        _end += n;
        return n;
    }

    /// <summary>Queues a message for sending; nothing reaches the socket before <see cref="Flush"/> or <see cref="TrySend"/>.</summary>
    public void Write(PgMessage message)
    {
        Span<byte> header = stackalloc byte[5];
        var length = message.Type == PgMessage.Untyped ? 4 : 5;
        if (length == 5)
            header[0] = message.Type;
        BinaryPrimitives.WriteInt32BigEndian(header[(length - 4)..], message.Body.Length + 4);
        _output.Write(header[..length]);
        _output.Write(message.Body);
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _output.Write(bytes);

    /// <summary>Sends everything queued, blocking (the socket must be blocking).</summary>
    public void Flush()
    {
        if (PendingOutput == 0)
            return;
        _socket.Send(_output.GetBuffer(), _sent, (int)PendingOutput, SocketFlags.None);
        ClearOutput();
    }

    /// <summary>
    /// Sends what the socket takes without blocking (the socket must be non-blocking): true when any
    /// bytes went out. What it does not take stays queued for the next call.
    /// </summary>
    public bool TrySend()
    {
        if (PendingOutput == 0)
            return false;
        var n = _socket.Send(_output.GetBuffer(), _sent, (int)PendingOutput, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
            return false;
        if (error != SocketError.Success)
            throw new SocketException((int)error);
        _sent += n;
        if (PendingOutput == 0)
            ClearOutput();
        return n > 0;
    }

    private void ClearOutput()
    {
        _output.SetLength(0);
        _sent = 0;
    }

    private bool ReceiveBlocking()
    {
        MakeRoom();
        var n = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
        if (n == 0)
            return false;
        _end += n;
        return true;
    }

    // Moves a partial message to the front of the buffer when the tail is full.
    private void MakeRoom()
    {
        if (_end < _buffer.Length)
            return;
        if (_start == 0)
            Array.Resize(ref _buffer, _buffer.Length * 2);
        else
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
    }

    public void Dispose() => _socket.Dispose();
}

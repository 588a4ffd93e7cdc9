using System.Buffers.Binary;

namespace MzDeploy.Emulator.Wire;

/// <summary>
/// Reads and writes protocol messages on one socket stream with its own buffers, so a pump can tell
/// whether more input is already buffered and flush its output only before it would block.
/// </summary>
internal sealed class MessageStream : IAsyncDisposable
{
    private const int MaxMessageLength = 1 << 30;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private readonly MemoryStream _output = new();

    public MessageStream(Stream stream) => _stream = stream;

    /// <summary>Output above this size is flushed even while more input is buffered (large results, COPY).</summary>
    public const int FlushThreshold = 64 * 1024;

    /// <summary>Bytes queued by <see cref="Write"/> and not yet flushed.</summary>
    public long PendingOutput => _output.Length;

    /// <summary>True when a whole or partial message is already buffered (reading will not block on the socket).</summary>
    public bool HasBufferedInput => _end > _start;

    /// <summary>Reads a typed message; null at end of stream.</summary>
    public async ValueTask<PgMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(5, cancellationToken)) return null;
        var type = _buffer[_start];
        var length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start + 1));
        if (length < 4 || length > MaxMessageLength) throw new InvalidDataException($"invalid message length {length}");
        _start += 5;
        var body = await ReadExactAsync(length - 4, cancellationToken);
        return body == null ? null : new PgMessage(type, body);
    }

    /// <summary>Reads a startup-phase packet (length word first, no type byte); null at end of stream.</summary>
    public async ValueTask<PgMessage?> ReadUntypedAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(4, cancellationToken)) return null;
        var length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start));
        if (length < 8 || length > 1 << 20) throw new InvalidDataException($"invalid startup packet length {length}");
        _start += 4;
        var body = await ReadExactAsync(length - 4, cancellationToken);
        return body == null ? null : new PgMessage(PgMessage.Untyped, body);
    }

    /// <summary>Queues a message for sending; nothing reaches the socket before <see cref="FlushAsync"/>.</summary>
    public void Write(PgMessage message) => _output.Write(message.ToBytes());

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _output.Write(bytes);

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_output.Length == 0) return;
        await _stream.WriteAsync(_output.GetBuffer().AsMemory(0, (int)_output.Length), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
        _output.SetLength(0);
    }

    private async ValueTask<byte[]?> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        var body = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_end == _start && !await FillAsync(1, cancellationToken)) return null;
            var n = Math.Min(count - filled, _end - _start);
            Buffer.BlockCopy(_buffer, _start, body, filled, n);
            _start += n;
            filled += n;
        }
        return body;
    }

    private async ValueTask<bool> FillAsync(int needed, CancellationToken cancellationToken)
    {
        if (_end - _start >= needed) return true;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        while (_end - _start < needed)
        {
            var n = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (n == 0) return false;
            _end += n;
        }
        return true;
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}

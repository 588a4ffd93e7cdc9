using System.Buffers.Binary;
using System.Text;

namespace MzDeploy.Emulator.Wire;

/// <summary>
/// One protocol message: a type byte and its body (without the length word). Startup-phase packets that
/// have no type byte (StartupMessage, SSLRequest, CancelRequest) use <see cref="Untyped"/>.
/// </summary>
internal readonly record struct PgMessage(byte Type, byte[] Body)
{
    public const byte Untyped = 0;

    public char Kind => (char)Type;

    /// <summary>Serialises the message with its length word.</summary>
    public byte[] ToBytes()
    {
        var header = Type == Untyped ? 4 : 5;
        var bytes = new byte[header + Body.Length];
        if (Type != Untyped)
            bytes[0] = Type;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(header - 4), Body.Length + 4);
        Body.CopyTo(bytes, header);
        return bytes;
    }
}

/// <summary>Reads the fields of a message body in order.</summary>
internal ref struct BodyReader
{
    private readonly ReadOnlySpan<byte> _body;
    private int _position;

    public BodyReader(ReadOnlySpan<byte> body)
    {
        _body = body;
        _position = 0;
    }

    public int Position => _position;
    public bool AtEnd => _position >= _body.Length;

    public int Int32()
    {
        var value = BinaryPrimitives.ReadInt32BigEndian(_body[_position..]);
        _position += 4;
        return value;
    }

    public short Int16()
    {
        var value = BinaryPrimitives.ReadInt16BigEndian(_body[_position..]);
        _position += 2;
        return value;
    }

    public byte Byte() => _body[_position++];

    public string CString()
    {
        var end = _body[_position..].IndexOf((byte)0);
        if (end < 0)
            throw new InvalidDataException("unterminated string in protocol message");
        var value = Encoding.UTF8.GetString(_body.Slice(_position, end));
        _position += end + 1;
        return value;
    }

    public ReadOnlySpan<byte> Rest() => _body[_position..];
}

/// <summary>Builds a message body field by field.</summary>
internal sealed class BodyWriter
{
    private readonly MemoryStream _stream = new();

    public BodyWriter Int32(int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, value);
        _stream.Write(b);
        return this;
    }

    public BodyWriter Int16(short value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteInt16BigEndian(b, value);
        _stream.Write(b);
        return this;
    }

    public BodyWriter Byte(byte value)
    {
        _stream.WriteByte(value);
        return this;
    }

    public BodyWriter CString(string value)
    {
        _stream.Write(Encoding.UTF8.GetBytes(value));
        _stream.WriteByte(0);
        return this;
    }

    public BodyWriter Bytes(ReadOnlySpan<byte> value)
    {
        _stream.Write(value);
        return this;
    }

    public PgMessage Build(char type) => new((byte)type, _stream.ToArray());

    public PgMessage BuildUntyped() => new(PgMessage.Untyped, _stream.ToArray());
}

/// <summary>The messages the proxy itself composes.</summary>
internal static class Messages
{
    public static PgMessage ParameterStatus(string name, string value) =>
        new BodyWriter().CString(name).CString(value).Build('S');

    public static PgMessage CommandComplete(string tag) => new BodyWriter().CString(tag).Build('C');

    public static PgMessage ReadyForQuery(char status) => new BodyWriter().Byte((byte)status).Build('Z');

    public static PgMessage Query(string sql) => new BodyWriter().CString(sql).Build('Q');

    /// <summary>An ErrorResponse (or NoticeResponse with type 'N') with severity, SQLSTATE and message.</summary>
    public static PgMessage Error(string sqlState, string message, string severity = "ERROR", char type = 'E')
    {
        var w = new BodyWriter();
        w.Byte((byte)'S').CString(severity);
        w.Byte((byte)'V').CString(severity);
        w.Byte((byte)'C').CString(sqlState);
        w.Byte((byte)'M').CString(message);
        w.Byte(0);
        return w.Build(type);
    }

    /// <summary>Reads the SQLSTATE and message fields of an ErrorResponse/NoticeResponse.</summary>
    public static (string SqlState, string Message) ReadError(PgMessage message)
    {
        var r = new BodyReader(message.Body);
        string state = "", text = "";
        while (!r.AtEnd)
        {
            var field = r.Byte();
            if (field == 0)
                break;
            var value = r.CString();
            if (field == (byte)'C')
                state = value;
            else if (field == (byte)'M')
                text = value;
        }
        return (state, text);
    }
}

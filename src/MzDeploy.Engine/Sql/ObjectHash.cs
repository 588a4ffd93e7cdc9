using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MzDeploy.Engine.Sql;

/// <summary>
/// The content hash of a deployable object: SHA-256 over its canonical statement and its canonical
/// indexes (sorted ordinally, so their order in the file does not matter). Every part is length-prefixed,
/// so no two different inputs share a byte stream. The stream starts with a format tag; mz-deploy's
/// Rust hashes cannot be reproduced, so the first MzDeploy stage over a database staged by mz-deploy sees
/// every object as changed.
/// </summary>
internal static class ObjectHash
{
    private const string FormatTag = "mzdeploy-object-hash-v1";
    private const string HexDigits = "0123456789abcdef";

    /// <summary><c>"sha256:" + lowercase hex</c> of the framed parts.</summary>
    public static string Compute(string canonicalStatement, IEnumerable<string> canonicalIndexes)
    {
        ArgumentNullException.ThrowIfNull(canonicalStatement);
        ArgumentNullException.ThrowIfNull(canonicalIndexes);
        var indexes = canonicalIndexes.ToList();
        indexes.Sort(StringComparer.Ordinal);

        // The framed stream is hashed in one call over a pooled buffer: no hash object per object hashed.
        var length = PartLength(FormatTag) + PartLength(canonicalStatement) + 8;
        foreach (var index in indexes)
        {
            length += PartLength(index);
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var stream = rented.AsSpan(0, length);
            var written = WritePart(stream, FormatTag);
            written += WritePart(stream[written..], canonicalStatement);
            BinaryPrimitives.WriteInt64BigEndian(stream[written..], indexes.Count);
            written += 8;
            foreach (var index in indexes)
            {
                written += WritePart(stream[written..], index);
            }

            Span<byte> digest = stackalloc byte[32];
            SHA256.HashData(stream, digest);
            Span<char> hex = stackalloc char[7 + 64];
            "sha256:".CopyTo(hex);
            for (var i = 0; i < digest.Length; i++)
            {
                hex[7 + (2 * i)] = HexDigits[digest[i] >> 4];
                hex[8 + (2 * i)] = HexDigits[digest[i] & 0xF];
            }

            return new string(hex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The hash of a statement without indexes.</summary>
    public static string Compute(string canonicalStatement) => Compute(canonicalStatement, Array.Empty<string>());

    private static int PartLength(string part) => 8 + Encoding.UTF8.GetByteCount(part);

    /// <summary>Writes the part's UTF-8 length (8 bytes, big-endian) and bytes; returns the bytes written.</summary>
    private static int WritePart(Span<byte> destination, string part)
    {
        var count = Encoding.UTF8.GetBytes(part, destination[8..]);
        BinaryPrimitives.WriteInt64BigEndian(destination, count);
        return 8 + count;
    }
}

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
public static class ObjectHash
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

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendPart(hash, FormatTag);
        AppendPart(hash, canonicalStatement);
        AppendCount(hash, indexes.Count);
        foreach (var index in indexes)
        {
            AppendPart(hash, index);
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return string.Create(7 + 64, digest.ToArray(), static (chars, bytes) =>
        {
            "sha256:".CopyTo(chars);
            for (var i = 0; i < bytes.Length; i++)
            {
                chars[7 + (2 * i)] = HexDigits[bytes[i] >> 4];
                chars[8 + (2 * i)] = HexDigits[bytes[i] & 0xF];
            }
        });
    }

    /// <summary>The hash of a statement without indexes.</summary>
    public static string Compute(string canonicalStatement) => Compute(canonicalStatement, Array.Empty<string>());

    private static void AppendPart(IncrementalHash hash, string part)
    {
        var length = Encoding.UTF8.GetByteCount(part);
        AppendCount(hash, length);
        if (length <= 1024)
        {
            Span<byte> buffer = stackalloc byte[length];
            Encoding.UTF8.GetBytes(part, buffer);
            hash.AppendData(buffer);
        }
        else
        {
            hash.AppendData(Encoding.UTF8.GetBytes(part));
        }
    }

    private static void AppendCount(IncrementalHash hash, long count)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, count);
        hash.AppendData(buffer);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Model;

/// <summary>
/// Marker schemas in the <c>_mz_deploy</c> database that make promote race-free and resumable.
/// <para>
/// Epoch markers: per production schema or cluster one schema <c>promote_&lt;key&gt;_e&lt;N&gt;</c>, where the key is
/// a hash of the resource's name (names can be up to 255 bytes and need not be valid in a marker name) and N the
/// number of promotions so far. A promote reads N before its swap transaction and renames the marker to N+1 inside
/// it: of two concurrent promotes touching the resource, the second rename finds no <c>_eN</c> (or finds the target
/// taken), so the second transaction fails and none of its swaps happen.
/// </para>
/// <para>
/// Progress markers: <c>deploy_&lt;id&gt;_pending</c>, renamed to <c>deploy_&lt;id&gt;_swapped</c> inside the swap
/// transaction, so the catalog itself records, atomically with the cutover, that the swap happened.
/// </para>
/// </summary>
internal static class PromotionMarker
{
    /// <summary>The database holding the markers.</summary>
    public const string Database = "_mz_deploy";

    private const string EpochPrefix = "promote_";

    /// <summary>The epoch key of a production schema.</summary>
    public static string KeyOf(SchemaId productionSchema) => Key("schema", productionSchema.Database, productionSchema.Schema);

    /// <summary>The epoch key of a production cluster.</summary>
    public static string KeyOfCluster(string productionCluster) => Key("cluster", productionCluster);

    /// <summary><c>promote_&lt;key&gt;_e&lt;epoch&gt;</c>.</summary>
    public static string EpochName(string key, long epoch) => $"{EpochPrefix}{key}_e{epoch.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads an epoch marker's name; false for any other schema name.</summary>
    public static bool TryParseEpoch(string schemaName, out string key, out long epoch)
    {
        key = string.Empty;
        epoch = 0;
        if (!schemaName.StartsWith(EpochPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var at = schemaName.LastIndexOf("_e", StringComparison.Ordinal);
        if (at <= EpochPrefix.Length ||
            !long.TryParse(schemaName.AsSpan(at + 2), NumberStyles.None, CultureInfo.InvariantCulture, out epoch))
        {
            return false;
        }

        key = schemaName[EpochPrefix.Length..at];
        return true;
    }

    /// <summary>
    /// The current epoch per key from the names of the schemas in <c>_mz_deploy</c> (other names are ignored; when
    /// a key has several markers, the highest epoch is current).
    /// </summary>
    public static IReadOnlyDictionary<string, long> EpochsFromSchemaNames(IEnumerable<string> schemaNames)
    {
        var epochs = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in schemaNames)
        {
            if (TryParseEpoch(name, out var key, out var epoch) && (!epochs.TryGetValue(key, out var seen) || epoch > seen))
            {
                epochs[key] = epoch;
            }
        }

        return epochs;
    }

    /// <summary>
    /// Epoch markers below the current epoch of their key (left by a promote that created <c>_e0</c> after another had
    /// already moved past it, then lost its rename). Nobody reads them, so dropping them is always safe.
    /// </summary>
    public static IReadOnlyList<string> StaleEpochMarkers(IEnumerable<string> schemaNames)
    {
        var names = schemaNames.ToList();
        var current = EpochsFromSchemaNames(names);
        return names
            .Where(n => TryParseEpoch(n, out var key, out var epoch) && epoch < current[key])
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary><c>deploy_&lt;id&gt;_pending</c>: created before the swap.</summary>
    public static string PendingName(DeployId deployId) => $"deploy_{deployId}_pending";

    /// <summary><c>deploy_&lt;id&gt;_swapped</c>: the pending marker's name once the swap committed.</summary>
    public static string SwappedName(DeployId deployId) => $"deploy_{deployId}_swapped";

    /// <summary><c>undo_&lt;id&gt;_pending</c>: an undo's claim, created before its swap (its own, so a promote never reads it).</summary>
    public static string UndoPendingName(DeployId deployId) => $"undo_{deployId}_pending";

    /// <summary><c>undo_&lt;id&gt;_swapped</c>: the undo's claim once its swap committed; it exists exactly while an undo is unfinished.</summary>
    public static string UndoSwappedName(DeployId deployId) => $"undo_{deployId}_swapped";

    /// <summary>The deploy ID of a <c>deploy_&lt;id&gt;_swapped</c> marker (a promote that swapped and has not finished), else null.</summary>
    public static DeployId? SwappedDeployId(string schemaName) =>
        schemaName.Length > "deploy__swapped".Length && schemaName.StartsWith("deploy_", StringComparison.Ordinal)
                                                   && schemaName.EndsWith("_swapped", StringComparison.Ordinal)
                                                   && DeployId.TryParse(schemaName["deploy_".Length..^"_swapped".Length], out var deployId)
            ? deployId
            : null;

    /// <summary>A marker schema's qualified SQL name.</summary>
    public static string Sql(string markerName) => SqlIdentifier.QuoteQualified(Database, markerName);

    private static string Key(params string[] parts)
    {
        // Length-prefixed parts: no two different names share a byte stream.
        var text = string.Concat(parts.Select(p => $"{p.Length.ToString(CultureInfo.InvariantCulture)}:{p}"));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return Convert.ToHexString(hash, 0, 10).ToLowerInvariant();
    }
}

/// <summary>How far a promote got; the caller reads it from the catalog and the tracking rows.</summary>
public enum PromoteState
{
    /// <summary>The swap has not committed (a crash before it leaves only the pending marker; just re-run).</summary>
    NotStarted,

    /// <summary>The swap committed; sinks, replacements, repointing, <c>promoted_at</c> or cleanup may be missing.</summary>
    Swapped,

    /// <summary>Promoted and cleaned up.</summary>
    Finished,
}

internal static class PromoteStates
{
    /// <summary>
    /// The state from what the catalog shows: the <c>deploy_&lt;id&gt;_swapped</c> marker exists → <see cref="PromoteState.Swapped"/>;
    /// else <c>promoted_at</c> set → <see cref="PromoteState.Finished"/>; else <see cref="PromoteState.NotStarted"/>.
    /// </summary>
    public static PromoteState From(bool swappedMarkerExists, bool promoted) =>
        swappedMarkerExists ? PromoteState.Swapped : promoted ? PromoteState.Finished : PromoteState.NotStarted;
}

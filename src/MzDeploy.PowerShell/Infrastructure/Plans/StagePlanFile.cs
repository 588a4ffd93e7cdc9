using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine.Planning.Review;

namespace MzDeploy.PowerShell.Infrastructure.Plans;

/// <summary>A stage plan read from its file: the reviewed plan, and where and for what it was made.</summary>
internal sealed record SavedStagePlan(ReviewedStagePlan Reviewed, string Profile, string Server, string CreatedAt, string Path);

/// <summary>
/// The stage plan file (docs/plan-file.md): a reviewed plan as versioned JSON, and back. Writing refuses a plan that would
/// put a secret in the file; reading refuses, naming the file, anything that is not a complete plan of this format exactly
/// as MzDeploy wrote it (the checksum catches an edit; it is an integrity check, not a signature).
/// </summary>
internal static partial class StagePlanFile
{
    /// <summary>The <c>kind</c> every plan file carries: what tells a plan from any other JSON.</summary>
    public const string Kind = "MzDeploy stage plan";

    /// <summary>The format this build writes and reads. A change that an older reader would misread raises it.</summary>
    public const int Format = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <paramref name="reviewed"/> to <paramref name="path"/> (UTF-8, replacing the file).</summary>
    public static void Write(string path, ReviewedStagePlan reviewed, string profile, string server, DateTimeOffset createdAt) =>
        File.WriteAllText(path, Serialize(reviewed, profile, server, createdAt), new UTF8Encoding(false));

    /// <summary>The file's text.</summary>
    /// <exception cref="InvalidOperationException">A statement would write a secret into the file.</exception>
    public static string Serialize(ReviewedStagePlan reviewed, string profile, string server, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(reviewed);
        var document = ToDocument(reviewed, profile, server, createdAt.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture));
        return JsonSerializer.Serialize(document with { Checksum = Checksum(document) }, Options) + "\n";
    }

    /// <summary>Reads the plan in <paramref name="path"/>.</summary>
    /// <exception cref="MzDeployException"><c>PlanFileInvalid</c> naming the file and what is wrong with it.</exception>
    public static SavedStagePlan Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Invalid(path, $"{path} does not exist: no plan was saved there");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid(path, $"cannot read the plan file {path}: {e.Message}");
        }

        return Parse(text, path);
    }

    /// <summary>The plan in <paramref name="text"/>, read from <paramref name="path"/>.</summary>
    /// <exception cref="MzDeployException"><c>PlanFileInvalid</c> naming <paramref name="path"/>.</exception>
    public static SavedStagePlan Parse(string text, string path)
    {
        StagePlanDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<StagePlanDocument>(text, Options);
        }
        catch (JsonException e)
        {
            throw Invalid(path, $"{path} is not a stage plan file: it is not valid plan JSON ({e.Message})");
        }

        if (document is null || document.Kind != Kind)
        {
            throw Invalid(path, $"{path} is not an MzDeploy stage plan (it has no \"kind\": \"{Kind}\")");
        }

        if (document.Format != Format)
        {
            throw Invalid(path, $"{path} has plan format {document.Format?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}; "
                                + $"this MzDeploy reads format {Format}");
        }

        if (document.Checksum is null || document.Checksum != Checksum(document with { Checksum = null }))
        {
            throw Invalid(path, $"{path} was changed after MzDeploy wrote it (its checksum does not match its content)");
        }

        try
        {
            return new SavedStagePlan(FromDocument(document), Required(document.Profile), Required(document.Server),
                Required(document.CreatedAt), path);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NullReferenceException or InvalidOperationException)
        {
            throw Invalid(path, $"{path} is not a complete stage plan: {e.Message}");
        }
    }

    /// <summary>The refusal of a plan file that is not what it should be; <paramref name="message"/> names the file.</summary>
    public static MzDeployException Invalid(string path, string message) =>
        new(ModuleErrorIds.PlanFileInvalid, message, path,
            new Advice("Make the plan again with Invoke-MzStage -DryRun -PlanPath <file> and review it; never edit a plan file by hand."));

    // SHA-256 of the document's JSON as written, without its checksum.
    private static string Checksum(StagePlanDocument document) =>
        "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(document with { Checksum = null }, Options))))
            .ToLowerInvariant();

    private static StagePlanDocument ToDocument(ReviewedStagePlan reviewed, string profile, string server, string createdAt)
    {
        var plan = reviewed.Plan;
        var fingerprint = reviewed.Fingerprint;
        foreach (var statement in plan.Statements)
        {
            // A stage never plans these (apply owns secrets, and its values are sent, never written); this keeps it so.
            if (SecretStatement().IsMatch(statement.Sql) || statement.Parameters.Count > 0 || statement.Guard != StatementGuard.None)
            {
                throw new InvalidOperationException($"the stage plan holds a statement a plan file cannot carry: {statement.Kind} {statement.Target}");
            }
        }

        return new StagePlanDocument(Kind, Format, createdAt, profile, server, plan.DeployId.Value, plan.Names.ProfileSuffix,
            new FingerprintDocument(fingerprint.Digest, fingerprint.Commit,
                fingerprint.Schemas.Select(s => new PromotedSchemaDocument(s.Schema.Database, s.Schema.Schema, s.DeployId, s.Kind)).ToList(),
                fingerprint.Objects.Select(o => new ObjectHashDocument(o.Object.Database, o.Object.Schema, o.Object.Name, o.Hash)).ToList(),
                fingerprint.Clusters.Select(c => new ClusterConfigurationDocument(c.Name, c.Configuration)).ToList()),
            plan.Schemas.Select(s => new SchemaMappingDocument(Schema(s.Production), Schema(s.Staging), s.Kind.ToString())).ToList(),
            plan.Clusters.Select(c => new ClusterMappingDocument(c.Production, c.Staging)).ToList(),
            plan.Objects.Select(Object).ToList(),
            plan.Sinks.Select(Object).ToList(),
            plan.ReplacementMaterializedViews.Select(Object).ToList(),
            plan.Changes.Dirty.Select(d => new ReasonDocument(Object(d.Id), d.Kind?.ToString(), d.Reason.ToString(), d.Cause is null ? null : Object(d.Cause),
                d.Cluster, d.Change?.ToString(), d.CauseChanged, StageMapper.Reason(d))).ToList(),
            plan.Statements.Select(s => new StatementDocument(s.Kind.ToString(), s.Target, s.Sql)).ToList(),
            new RecordsDocument(
                plan.Records.Schemas.Select(s => new RecordedSchemaDocument(s.Schema.Database, s.Schema.Schema, s.Kind.ToString())).ToList(),
                plan.Records.Objects.Select(o => new RecordedObjectDocument(o.Database, o.Schema, o.Object, o.Hash)).ToList(),
                plan.Records.Clusters.ToList(),
                plan.Records.PendingStatements.Select(p => new PendingStatementDocument(p.SequenceNumber, p.Database, p.Schema, p.Object, p.ObjectHash,
                    p.Sql, p.StatementKind)).ToList(),
                plan.Records.Replacements.Select(r => new ReplacementDocument(r.TargetDatabase, r.TargetSchema, r.TargetName, r.ReplacementSchema)).ToList()),
            null);
    }

    private static ReviewedStagePlan FromDocument(StagePlanDocument d)
    {
        var names = new StagingNames(DeployId.Parse(Required(d.DeployId)), d.ProfileSuffix);
        var f = d.Fingerprint ?? throw new FormatException("it has no fingerprint");
        var fingerprint = new StageFingerprint(f.Commit,
            f.Schemas.Select(s => new FingerprintSchema(new SchemaId(s.Database, s.Schema), s.DeployId, s.Kind)),
            f.Objects.Select(o => new FingerprintObject(new ObjectId(o.Database, o.Schema, o.Name), o.Hash)),
            f.Clusters.Select(c => new FingerprintCluster(c.Name, c.Configuration)));
        if (fingerprint.Digest != f.Digest)
        {
            throw new FormatException($"its fingerprint digest {f.Digest} is not that of its fingerprint ({fingerprint.Digest})");
        }

        var records = d.Records ?? throw new FormatException("it has no tracking records");
        var plan = StagePlan.Reviewed(names,
            Required(d.Reasons).Select(r => new DirtyObject(ObjectId(r.Object), r.ObjectKind is null ? null : Enum.Parse<ObjectKind>(r.ObjectKind),
                Enum.Parse<DirtyReason>(r.Reason), r.Cause is null ? null : ObjectId(r.Cause), r.Cluster,
                r.Change is null ? null : Enum.Parse<ChangeKind>(r.Change), r.CauseChanged)).ToList(),
            Required(d.Schemas).Select(s => new SchemaMapping(SchemaId(s.Production), SchemaId(s.Staging), Enum.Parse<DeploymentKind>(s.Kind))).ToList(),
            Required(d.Clusters).Select(c => new ClusterMapping(c.Production, c.Staging)).ToList(),
            Required(d.Objects).Select(ObjectId).ToList(),
            Required(d.Sinks).Select(ObjectId).ToList(),
            Required(d.Replacements).Select(ObjectId).ToList(),
            Required(d.Statements).Select(s => new PlannedStatement(Enum.Parse<PlannedStatementKind>(s.Kind), Required(s.Target), Required(s.Sql))).ToList(),
            new StageRecords(
                records.Schemas.Select(s => new RecordedSchema(new SchemaId(s.Database, s.Schema), Enum.Parse<DeploymentKind>(s.Kind))).ToList(),
                records.Objects.Select(o => new DeployedObjectRecord(o.Database, o.Schema, o.Object, o.Hash)).ToList(),
                records.Clusters.ToList(),
                records.PendingStatements.Select(p => new PendingStatementRecord(p.SequenceNumber, p.Database, p.Schema, p.Object, p.ObjectHash,
                    p.Sql, p.StatementKind)).ToList(),
                records.Replacements.Select(r => new ReplacementRecord(r.TargetDatabase, r.TargetSchema, r.TargetName, r.ReplacementSchema)).ToList()));
        return new ReviewedStagePlan(plan, fingerprint);
    }

    private static T Required<T>(T? value) where T : class => value ?? throw new FormatException("a required field is missing");

    private static SchemaDocument Schema(SchemaId schema) => new(schema.Database, schema.Schema);

    private static SchemaId SchemaId(SchemaDocument schema) => new(schema.Database, schema.Schema);

    private static ObjectDocument Object(ObjectId id) => new(id.Database, id.Schema, id.Name);

    private static ObjectId ObjectId(ObjectDocument id) => new(id.Database, id.Schema, id.Name);

    [GeneratedRegex(@"^\s*(CREATE|ALTER)\s+(OR\s+REPLACE\s+)?SECRET\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretStatement();
}

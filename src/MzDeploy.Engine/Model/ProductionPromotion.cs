namespace MzDeploy.Engine.Model;

/// <summary>A row of <c>_mz_deploy.public.production</c>: the latest promotion of one schema (production names).</summary>
internal sealed record ProductionPromotion(SchemaId Schema, string DeployId, DateTimeOffset PromotedAt);

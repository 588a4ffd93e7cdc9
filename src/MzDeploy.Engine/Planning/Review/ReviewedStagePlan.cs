namespace MzDeploy.Engine.Planning.Review;

/// <summary>
/// A stage plan somebody reviewed, with the fingerprint of the state it was computed from. Running it runs exactly
/// <see cref="Plan"/>'s statements, and only while the state still has <see cref="Fingerprint"/>.
/// </summary>
public sealed record ReviewedStagePlan(StagePlan Plan, StageFingerprint Fingerprint);

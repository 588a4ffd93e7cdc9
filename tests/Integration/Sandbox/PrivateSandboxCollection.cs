namespace MzDeploy.Tests.Integration.Sandbox;

/// <summary>The private sandbox is one per process: the tests that start, kill or stop it run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PrivateSandboxCollection
{
    public const string Name = "Private sandbox";
}

using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Sandbox;
using Npgsql;

namespace MzDeploy.Tests.Integration.Sandbox;

/// <summary>
/// Where scratch SQL runs: the address forms a user may type, and sessions on a real emulator that are not pinned to
/// mz-deploy's server cluster (a fresh sandbox has none).
/// </summary>
[Collection(PrivateSandboxCollection.Name)]
public sealed class SandboxTargetTests
{
    private static readonly string EmulatorAssembly = Path.Combine(AppContext.BaseDirectory, "MzDeploy.Emulator.dll");

    [Theory]
    [InlineData("127.0.0.1:6876", "127.0.0.1:6876")]
    [InlineData(" localhost:5432 ", "localhost:5432")]
    [InlineData("[::1]:7000", "::1:7000")]
    [InlineData("sandbox.local", "sandbox.local:6875")]
    public void Reads_host_and_port(string text, string server)
    {
        var target = SandboxTarget.ForAddress(text);

        Assert.Equal(SandboxKind.External, target.Kind);
        Assert.Equal(server, target.Server);
        Assert.Contains(server, target.Description);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(":6875")]
    [InlineData("localhost:")]
    [InlineData("localhost:0")]
    [InlineData("localhost:65536")]
    [InlineData("localhost:68x5")]
    [InlineData("localhost:-1")]
    [InlineData("::1:6875")]
    [InlineData("[::1")]
    [InlineData("[::1]6875")]
    [InlineData("host=evil;port=1")]
    [InlineData("user@host:6875")]
    public void Refuses_what_is_not_an_address(string text)
    {
        var error = Assert.Throws<MzDeployException>(() => SandboxTarget.ForAddress(text));

        Assert.Equal(ErrorIds.SandboxAddressInvalid.Id, error.ErrorId);
        Assert.Contains("host:port", error.Message);
        Assert.Equal(text, error.Target);
    }

    [Fact]
    public async Task The_private_emulator_opens_a_session_on_the_default_cluster()
    {
        var emulator = await PrivateSandbox.GetOrStartAsync(EmulatorAssembly, CancellationToken.None);
        var target = SandboxTarget.ForEmulator(emulator);

        await using var connection = await target.OpenConnectionAsync(CancellationToken.None);
        await using var one = new NpgsqlCommand("SELECT 1", connection);
        await using var cluster = new NpgsqlCommand("SHOW cluster", connection);

        Assert.Equal(SandboxKind.Private, target.Kind);
        Assert.Equal($"127.0.0.1:{emulator.Port}", target.Server);
        Assert.Equal(1, await one.ExecuteScalarAsync());
        Assert.NotEqual(CatalogConnectionFactory.ServerCluster, await cluster.ExecuteScalarAsync());
    }

    [Fact]
    public async Task An_address_where_nothing_listens_is_a_connection_error_naming_the_sandbox()
    {
        var target = SandboxTarget.ForAddress("127.0.0.1:1");

        var error = await Assert.ThrowsAsync<MzDeployException>(() => target.OpenConnectionAsync(CancellationToken.None));

        Assert.Equal(ErrorIds.ConnectionFailed.Id, error.ErrorId);
        Assert.StartsWith("cannot connect to the sandbox at 127.0.0.1:1", error.Message);
        Assert.DoesNotContain("profile", error.Message);
    }
}

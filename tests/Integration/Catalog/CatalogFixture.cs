using MzDeploy.Emulator;
using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Project;
using MzDeploy.Tests.Integration.Emulator;
using Npgsql;

namespace MzDeploy.Tests.Integration.Catalog;

/// <summary>An emulator of its own (the tracking database is server-wide state); optionally set up once.</summary>
public class CatalogEmulator : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("mzcat-test-").FullName;

    public EmulatorServer Server { get; private set; } = null!;

    protected virtual bool RunSetup => false;

    public async Task InitializeAsync()
    {
        Server = await EmulatorServer.StartAsync(new EmulatorOptions(_data, Port: 0));
        if (RunSetup)
        {
            await SetupOperation.RunAsync(Factory(), new SetupOptions("xsmall"), NullOperationLog.Instance, CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        TestData.DeleteQuietly(_data);
    }

    /// <summary>A factory as a profile would produce it (not emulator mode: RBAC is detected, and on by default).</summary>
    public CatalogConnectionFactory Factory(string user = "materialize", string? password = null, bool emulatorMode = false) =>
        new(new ConnectionSettings
        {
            ProfileName = "test",
            Host = "127.0.0.1",
            Port = Server.Port,
            Username = user,
            Password = password is null ? null : new SecretString(password),
            SslMode = MzDeploy.Engine.Project.SslMode.Disable,
        }, emulatorMode);

    public async Task<NpgsqlConnection> AdminAsync()
    {
        var connection = new NpgsqlConnection(Server.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>A login role with a password, granted <paramref name="roles"/>.</summary>
    public async Task<(string User, string Password)> LoginRoleAsync(params string[] roles)
    {
        var user = TestData.UniqueName("user");
        var password = "pw-" + Guid.NewGuid().ToString("N")[..12];
        await using var admin = await AdminAsync();
        await admin.ExecAsync($"CREATE ROLE {user} WITH LOGIN PASSWORD '{password}'");
        foreach (var role in roles)
        {
            await admin.ExecAsync($"GRANT {role} TO {user}");
        }

        return (user, password);
    }
}

/// <summary>An emulator with Initialize-MzDeploy already run.</summary>
public sealed class SetUpEmulator : CatalogEmulator
{
    protected override bool RunSetup => true;
}

[CollectionDefinition(Name)]
public sealed class SetUpCollection : ICollectionFixture<SetUpEmulator>
{
    public const string Name = "catalog (set up)";
}

namespace MzDeploy.Tests.Integration;

public class PostgresAvailabilityTests
{
    [Fact]
    public void PostgreSQL_15_binaries_are_installed()
    {
        // The emulator runs on PostgreSQL 15; .ci/run installs it when a machine lacks it.
        Assert.True(File.Exists("/usr/lib/postgresql/15/bin/postgres"), "postgresql-15 is not installed");
    }
}

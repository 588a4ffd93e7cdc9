using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine;

namespace MzDeploy.Tests.Unit.Planning;

public class NamingTests
{
    [Theory]
    [InlineData("r1")]
    [InlineData("abc1234")]
    [InlineData("release-42_b")]
    [InlineData("0")]
    public void Valid_deploy_ids_are_accepted(string id) => Assert.Equal(id, DeployId.Parse(id));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Release", "upper-case")]
    [InlineData("-r1", "must start")]
    [InlineData("_r1", "must start")]
    [InlineData("r 1", "only lower-case letters")]
    [InlineData("r1;drop", "only lower-case letters")]
    [InlineData("r\"1", "only lower-case letters")]
    public void Invalid_deploy_ids_are_rejected_naming_the_rule(string id, string rule)
    {
        var error = Assert.Throws<MzDeployException>(() => DeployId.Parse(id));
        Assert.Equal(ErrorIds.InvalidDeployId.Id, error.ErrorId);
        Assert.Contains(rule, error.Message);
        Assert.Contains(DeployId.Pattern, error.Message);
    }

    [Fact]
    public void A_deploy_id_longer_than_63_characters_is_rejected()
    {
        Assert.Equal(new string('a', 63), DeployId.Parse(new string('a', 63)));
        var error = Assert.Throws<MzDeployException>(() => DeployId.Parse(new string('a', 64)));
        Assert.Contains("64 characters", error.Message);
    }

    [Fact]
    public void A_suffixed_name_over_255_bytes_is_rejected()
    {
        var names = new StagingNames(DeployId.Parse(new string('x', 60)));
        var fits = new string('s', 255 - 61);
        Assert.Equal(255, names.StagingSchemaName(fits).Length);
        var error = Assert.Throws<MzDeployException>(() => names.StagingSchemaName(fits + "s"));
        Assert.Equal(ErrorIds.InvalidDeployId.Id, error.ErrorId);
        Assert.Contains("256 bytes", error.Message);

        // Bytes, not characters: 'é' is two bytes in UTF-8.
        Assert.Throws<MzDeployException>(() => names.StagingCluster(new string('é', 100)));
    }

    [Fact]
    public void Staging_names_stack_the_profile_suffix_then_the_deploy_id()
    {
        var names = new StagingNames(DeployId.Parse("r1"), "_staging");
        Assert.Equal("foo_staging", names.ProductionCluster("foo"));
        Assert.Equal("foo_staging_r1", names.StagingCluster("foo"));
        Assert.Equal(new SchemaId("db_staging", "s_r1"), names.StagingSchema(new SchemaId("db", "s")));
        Assert.Equal(new ObjectId("db_staging", "s_r1", "v"), names.Staging(new ObjectId("db", "s", "v")));
        Assert.Equal(new ObjectId("db_staging", "s", "v"), names.Production(new ObjectId("db", "s", "v")));
        Assert.Equal("analytics_r1", names.ProductionNameOf("analytics_r1_r1"));
        Assert.Null(names.ProductionNameOf("analytics"));
        Assert.Equal("db", StagingNames.ProjectDatabaseOf("db_staging", "_staging"));
        Assert.Null(StagingNames.ProjectDatabaseOf("db", "_staging"));
    }

    [Fact]
    public void The_production_snapshot_maps_tracking_rows_back_to_project_names_and_ignores_other_profiles()
    {
        var snapshot = ProductionSnapshot.FromRows(new[]
        {
            new ProductionObjectRow("db_staging", "s", "v", "sha256:1", "objects", "r0"),
            new ProductionObjectRow("db", "s", "v", "sha256:2", "objects", "p0"),
            new ProductionObjectRow("db_staging", "api", "mv", "sha256:3", "replacement", "r0"),
        }, "_staging");

        Assert.Equal("sha256:1", snapshot.Hashes[new ObjectId("db", "s", "v")]);
        Assert.Equal(2, snapshot.Hashes.Count);
        Assert.Equal(DeploymentKind.Replacement, snapshot.KindOf(new SchemaId("db", "api")));
        Assert.Equal("r0", snapshot.Schemas[new SchemaId("db", "s")].DeployId);
    }

    [Fact]
    public void Schema_names_parse_with_quotes()
    {
        Assert.Equal(new SchemaId("My DB", "s"), SchemaId.TryParse("\"My DB\".s"));
        Assert.Equal(new SchemaId("materialize", "public"), SchemaId.TryParse("materialize.public"));
        Assert.Null(SchemaId.TryParse("public"));
        Assert.Null(SchemaId.TryParse("a.b.c"));
    }
}

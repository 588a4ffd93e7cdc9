using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning.Apply;
using MzDeploy.Engine.Project;
using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Catalog;

/// <summary>
/// An apply plan run against the real emulator, then planned again from what the catalog then says: the second plan
/// must find everything Unchanged — the reader and the planner agree on how production describes what apply made.
/// </summary>
public sealed class ApplyPlanRoundTripTests(CatalogEmulator emulator) : IClassFixture<CatalogEmulator>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mzapply-test-").FullName;

    public void Dispose() => TestData.DeleteQuietly(_root);

    private CompiledProject Project(string database, string cluster, string role)
    {
        var files = new Dictionary<string, string>
        {
            ["project.toml"] = "# apply test\n",
            [$"roles/{role}.sql"] = $"CREATE ROLE {role};\n",
            [$"clusters/{cluster}.sql"] = $"CREATE CLUSTER {cluster} (SIZE = 'xsmall', REPLICATION FACTOR = 1);\nGRANT USAGE ON CLUSTER {cluster} TO {role};\n",
            [$"models/{database}/raw/api_key.sql"] = "CREATE SECRET api_key AS env_var('APPLY_TEST_KEY');\n",
            [$"models/{database}/raw/orders.sql"] =
                $"CREATE TABLE orders (id int NOT NULL, note text, amount numeric(10, 2));\nGRANT SELECT ON orders TO {role};\nCOMMENT ON TABLE orders IS 'All orders';\n",
        };
        foreach (var (relative, text) in files)
        {
            var path = Path.Combine(_root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        var project = ProjectCompiler.Compile(_root, null);
        Assert.Empty(project.Diagnostics);
        return project;
    }

    [Fact]
    public async Task After_running_a_plan_from_empty_the_next_plan_is_all_unchanged()
    {
        var database = TestData.UniqueName("applydb");
        var cluster = TestData.UniqueName("applyc");
        var role = TestData.UniqueName("applyr");
        var project = Project(database, cluster, role);
        var options = new ApplyOptions { Environment = new MapEnvironment([new("APPLY_TEST_KEY", "k-123")]) };
        await using var session = await emulator.Factory().OpenAsync(CancellationToken.None);

        var first = ApplyPlanner.Plan(project, await InfrastructureReader.ReadAsync(session, CancellationToken.None), options);
        var mine = first.Items.Where(i => i.Action != ApplyAction.Unmanaged).ToList();
        Assert.All(mine, i => Assert.Equal(ApplyAction.Created, i.Action));
        foreach (var statement in first.Statements)
        {
            await session.ExecuteAsync(statement.Reveal(), CancellationToken.None);
        }

        var second = ApplyPlanner.Plan(project, await InfrastructureReader.ReadAsync(session, CancellationToken.None), options);

        var again = second.Items.Where(i => i.Action != ApplyAction.Unmanaged).ToList();
        Assert.Equal(mine.Select(i => i.Name), again.Select(i => i.Name));
        Assert.All(again, i => Assert.True(i.Action == ApplyAction.Unchanged, i.ToString()));
        Assert.Empty(second.Statements);

        // A size change is then one ALTER CLUSTER, and running it converges again.
        File.WriteAllText(Path.Combine(_root, "clusters", $"{cluster}.sql"),
            $"CREATE CLUSTER {cluster} (SIZE = 'small', REPLICATION FACTOR = 1);\nGRANT USAGE ON CLUSTER {cluster} TO {role};\n");
        var resized = ApplyPlanner.Plan(ProjectCompiler.Compile(_root, null), await InfrastructureReader.ReadAsync(session, CancellationToken.None), options);
        var alter = resized.OfType(InfrastructureKind.Cluster).Single(i => i.Name == cluster);
        Assert.Equal([$"ALTER CLUSTER \"{cluster}\" SET (SIZE = 'small')"], alter.Statements.Select(s => s.Sql));
        await session.ExecuteAsync(alter.Statements[0].Reveal(), CancellationToken.None);
        var settled = ApplyPlanner.Plan(ProjectCompiler.Compile(_root, null), await InfrastructureReader.ReadAsync(session, CancellationToken.None), options);
        Assert.Equal(ApplyAction.Unchanged, settled.OfType(InfrastructureKind.Cluster).Single(i => i.Name == cluster).Action);
    }
}

using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Tests.Unit.Compile;

/// <summary>
/// A secret's hash never depends on its value: an unsalted SHA-256 over <c>CREATE SECRET s AS 'value'</c>
/// in Build-MzProject's output would let anyone who reads it guess a weak secret offline.
/// </summary>
public class SecretHashTests
{
    private static CompiledObject CompileSecret(string sql, string toml = "# test\n", string? profile = null)
    {
        using var project = new TempProject(new Dictionary<string, string> { ["models/materialize/secrets/pw.sql"] = sql }, toml);
        var compiled = ProjectCompiler.Compile(project.Root, profile);
        Assert.Empty(compiled.Diagnostics);
        return Assert.Single(compiled.Objects);
    }

    [Fact]
    public void Changing_a_secret_value_does_not_change_its_hash()
    {
        var weak = CompileSecret("CREATE SECRET pw AS 'hunter2';").Hash;

        Assert.Equal(weak, CompileSecret("CREATE SECRET pw AS 'correct horse battery staple';").Hash);
        Assert.Equal(weak, CompileSecret("CREATE SECRET pw AS decode('aHVudGVyMg==', 'base64');").Hash);
        Assert.Equal(weak, CompileSecret("CREATE SECRET pw AS :'pw';", "[prod.variables]\npw = \"hunter3\"\n", "prod").Hash);
    }

    [Fact]
    public void The_hash_cannot_be_recomputed_from_a_guessed_value()
    {
        var hash = CompileSecret("CREATE SECRET pw AS 'hunter2';").Hash;

        // What an attacker would compute for the guess 'hunter2', the way every other object is hashed.
        var guess = ObjectHash.Compute("CREATE SECRET materialize.secrets.pw AS 'hunter2'");

        Assert.NotEqual(guess, hash);
        Assert.Equal(ObjectHash.Compute("CREATE SECRET materialize.secrets.pw AS " + ObjectHasher.SecretValuePlaceholder), hash);
    }

    [Fact]
    public void The_name_still_counts()
    {
        using var project = new TempProject(new Dictionary<string, string>
        {
            ["models/materialize/secrets/a.sql"] = "CREATE SECRET a AS 'same';",
            ["models/materialize/secrets/b.sql"] = "CREATE SECRET b AS 'same';",
        });
        var compiled = ProjectCompiler.Compile(project.Root, profile: null);

        Assert.Empty(compiled.Diagnostics);
        Assert.NotEqual(compiled.Objects[0].Hash, compiled.Objects[1].Hash);
    }
}

namespace MzDeploy.Tests.Unit;

/// <summary>A project folder written into the temp directory for one test, deleted afterwards.</summary>
internal sealed class TempProject : IDisposable
{
    public TempProject(IReadOnlyDictionary<string, string> files, string projectToml = "# test project\n")
    {
        Root = Path.Combine(Path.GetTempPath(), "mzdeploy-unit-" + Guid.NewGuid().ToString("n")[..12]);
        Directory.CreateDirectory(Root);
        File.WriteAllText(Path.Combine(Root, "project.toml"), projectToml);
        foreach (var (relative, text) in files)
        {
            var path = Path.Combine(Root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
    }

    public string Root { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

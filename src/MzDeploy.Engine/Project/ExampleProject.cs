namespace MzDeploy.Engine.Project;

/// <summary>
/// The order-monitoring example (examples/order-monitoring in the repository), embedded in the engine so
/// new projects are scaffolded from the same files the demo deploys.
/// </summary>
internal static class ExampleProject
{
    private const string Prefix = "MzDeploy.Examples.OrderMonitoring/";

    /// <summary>Every file of the example: path relative to the example root (forward slashes) and content.</summary>
    public static IReadOnlyList<(string RelativePath, byte[] Content)> Files()
    {
        var assembly = typeof(ExampleProject).Assembly;
        var files = new List<(string, byte[])>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            // %(RecursiveDir) uses the build machine's separator.
            files.Add((name[Prefix.Length..].Replace('\\', '/'), buffer.ToArray()));
        }

        if (files.Count == 0)
        {
            throw new InvalidOperationException("The order-monitoring example is not embedded in MzDeploy.Engine; the build is broken.");
        }

        return files.OrderBy(f => f.Item1, StringComparer.Ordinal).ToList();
    }
}

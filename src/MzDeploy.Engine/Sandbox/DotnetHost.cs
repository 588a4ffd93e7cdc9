using System.Runtime.InteropServices;

namespace MzDeploy.Engine.Sandbox;

/// <summary>
/// The <c>dotnet</c> program that runs the emulator's assembly. The session's own runtime is the natural choice: a
/// <c>dotnet pwsh</c> session already runs in it; an installed pwsh runs on the same shared runtime, whose folder sits
/// three levels under the <c>dotnet</c> root (…/dotnet/shared/Microsoft.NETCore.App/&lt;version&gt;/).
/// </summary>
public static class DotnetHost
{
    private static readonly string Name = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";

    /// <summary>The full path of <c>dotnet</c>, or just its name (resolved on the PATH) when no better one is known.</summary>
    public static string Locate()
    {
        if (Environment.ProcessPath is { } process && Path.GetFileName(process).Equals(Name, StringComparison.OrdinalIgnoreCase))
        {
            return process;
        }

        foreach (var candidate in new[]
                 {
                     Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"),
                     Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", Name),
                 })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return Name;
    }
}

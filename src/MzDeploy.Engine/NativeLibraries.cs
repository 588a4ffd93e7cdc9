using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace MzDeploy.Engine;

/// <summary>
/// PowerShell ignores a module's deps.json, so .NET never probes the module's
/// <c>runtimes/&lt;rid&gt;/native</c> folder and LibGit2Sharp's native library is not found.
/// LibGit2Sharp's own <c>NativeLibraryPath</c> setting does not help on Linux (it drops the
/// <c>lib</c> prefix), so we answer the load context's unmanaged-library request ourselves.
/// </summary>
internal static class NativeLibraries
{
    private static int s_registered;

    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 1)
        {
            return;
        }

        var assembly = typeof(NativeLibraries).Assembly;
        var context = AssemblyLoadContext.GetLoadContext(assembly) ?? AssemblyLoadContext.Default;
        context.ResolvingUnmanagedDll += (requesting, name) => Resolve(assembly, name);
    }

    private static IntPtr Resolve(Assembly engine, string name)
    {
        if (!name.StartsWith("git2", StringComparison.Ordinal))
        {
            return IntPtr.Zero;
        }

        var baseDirectory = Path.GetDirectoryName(engine.Location);
        if (baseDirectory is null)
        {
            return IntPtr.Zero;
        }

        var nativeDirectory = Path.Combine(baseDirectory, "runtimes", PortableRuntimeId(), "native");
        foreach (var candidate in new[] { $"lib{name}.so", $"lib{name}.dylib", $"{name}.dll" })
        {
            var path = Path.Combine(nativeDirectory, candidate);
            if (File.Exists(path))
            {
                return NativeLibrary.Load(path);
            }
        }

        return IntPtr.Zero;
    }

    private static string PortableRuntimeId()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            Architecture.Arm => "arm",
            _ => "x64",
        };
        return $"{os}-{arch}";
    }
}

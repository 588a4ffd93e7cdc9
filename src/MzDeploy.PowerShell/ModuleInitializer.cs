using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace MzDeploy.PowerShell;

/// <summary>
/// Keeps MzDeploy's dependencies (Npgsql, LibGit2Sharp, Tomlyn, ...) out of the session's default load
/// context. The module root holds only this assembly; the engine and everything it needs sit in
/// <c>dependencies/</c>, where neither .NET nor PowerShell looks. When the default context fails to find
/// <c>MzDeploy.Engine</c>, we load it into a private context that resolves the rest from that folder, so a
/// session that already loaded another Npgsql keeps working (verified in the toolchain spike, §3).
/// In the development layout (no <c>dependencies/</c> folder, e.g. in-process unit tests) this does nothing.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string DependencyFolder = Path.Combine(
        Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "dependencies");

    private static DependencyLoadContext? s_context;

    public void OnImport()
    {
        if (!Directory.Exists(DependencyFolder))
        {
            return;
        }

        s_context ??= new DependencyLoadContext(DependencyFolder);
        AssemblyLoadContext.Default.Resolving += ResolveEngine;
    }

    public void OnRemove(PSModuleInfo module)
    {
        // The private sandbox lives as long as the module: its emulator and PostgreSQL go with it (the engine is
        // still resolvable here).
        Infrastructure.SandboxModule.Stop();
        AssemblyLoadContext.Default.Resolving -= ResolveEngine;
    }

    // Only the engine is resolved across the boundary; its own references then resolve inside the
    // private context, never in the session's.
    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == "MzDeploy.Engine" && s_context is not null ? s_context.LoadFromAssemblyName(name) : null;

    private sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private static readonly HashSet<string> PlatformAssemblies = ReadPlatformAssemblies();
        private readonly string _folder;

        public DependencyLoadContext(string folder) : base("MzDeploy")
        {
            _folder = folder;
        }

        protected override Assembly? Load(AssemblyName name)
        {
            // Framework assemblies come from the shared framework, exactly as the default context would.
            if (name.Name is null || PlatformAssemblies.Contains(name.Name))
            {
                return null;
            }

            var path = Path.Combine(_folder, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        private static HashSet<string> ReadPlatformAssemblies()
        {
            var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
            return list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(Path.GetFileNameWithoutExtension)
                .OfType<string>()
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
    }
}

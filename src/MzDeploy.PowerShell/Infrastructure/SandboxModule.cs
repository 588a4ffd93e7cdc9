using System.Runtime.CompilerServices;
using MzDeploy.Engine.Sandbox;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>The module's side of the private sandbox: where its emulator is, and stopping it with the module.</summary>
internal static class SandboxModule
{
    private const string EmulatorFile = "MzDeploy.Emulator.dll";

    /// <summary>
    /// The emulator the module carries: <c>emulator/</c> beside this assembly in the built module; in the development
    /// layout (tests loading the project's output) the emulator's assembly sits beside it instead.
    /// </summary>
    public static string EmulatorAssembly
    {
        get
        {
            var moduleFolder = Path.GetDirectoryName(typeof(SandboxModule).Assembly.Location)!;
            var packaged = Path.Combine(moduleFolder, "emulator", EmulatorFile);
            var beside = Path.Combine(moduleFolder, EmulatorFile);
            return File.Exists(packaged) || !File.Exists(beside) ? packaged : beside;
        }
    }

    /// <summary>
    /// Stops the private sandbox when one was started; called as the module is removed. A session that never loaded the
    /// engine started no sandbox, and removing the module does not load it just to find that out.
    /// </summary>
    public static void Stop()
    {
        if (AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "MzDeploy.Engine"))
        {
            StopLoaded();
        }
    }

    // Apart from Stop so that compiling Stop does not resolve the engine's types.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StopLoaded() => PrivateSandbox.StopAsync().GetAwaiter().GetResult();
}

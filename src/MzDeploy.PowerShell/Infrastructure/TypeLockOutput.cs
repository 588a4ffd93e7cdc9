using System.Management.Automation;
using MzDeploy.Engine.Planning.Lock;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// How Update-MzTypeLock and Invoke-MzApply (which re-locks after applying) report a lock: one MzTypeLockResult, and a
/// warning per table fed by a source that the server does not have yet, saying how to get it locked.
/// </summary>
internal static class TypeLockOutput
{
    public static MzTypeLockResult Result(TypeLockPlan plan, bool changed) =>
        new(plan.Path, plan.Objects, changed, [.. plan.Skipped]);

    public static void WarnSkipped(Cmdlet cmdlet, TypeLockPlan plan, string server)
    {
        foreach (var table in plan.Skipped)
        {
            cmdlet.WriteWarning($"{table} (CREATE TABLE … FROM SOURCE) is not on {server} yet, so types.lock does not hold it: "
                                + "apply tables first (Invoke-MzApply -Type Table, which locks again afterwards), or run Update-MzTypeLock once it exists.");
        }
    }
}

using System.Management.Automation;
using MzDeploy.Engine.Project;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Scaffolds a new MzDeploy project with the order-monitoring example.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "MzProject", SupportsShouldProcess = true)]
[OutputType(typeof(DirectoryInfo))]
public sealed class NewMzProjectCommand : MzCmdlet
{
    /// <summary>The project name, also the new folder's name.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The folder to create the project in; default: the current location.</summary>
    [Parameter]
    public string? Path { get; set; }

    /// <summary>Skip <c>git init</c> and the initial commit.</summary>
    [Parameter]
    public SwitchParameter NoGit { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var parent = ResolvePath(Path);
        var target = System.IO.Path.Combine(parent, Name);
        if (ShouldProcess(target, "Create MzDeploy project"))
        {
            var created = Invoke(() => ProjectScaffolder.Create(parent, Name, initializeGit: !NoGit, ModuleProjectGuide.Instance), target);
            // The folder as Get-Item returns it: a bare DirectoryInfo lacks the provider's properties (PSParentPath, the
            // Unix mode, user and group), so the file-system view would show blank columns and no "Directory:" header.
            WriteObject(InvokeProvider.Item.Get([created], true, true), true);
        }

        return Task.CompletedTask;
    }
}

using System.Management.Automation;
using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Project;
using MzDeploy.Engine;
using MzDeploy.PowerShell.Infrastructure;
using MzDeploy.PowerShell.Infrastructure.Ci;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Compiles a Materialize SQL project offline.</para>
/// Writes one error record per problem (ErrorId, file, line, column), then a terminating
/// <c>CompilationFailed</c> error whose target object is the <see cref="MzProject"/> with every error.
/// </summary>
// VerbsLifecycle.Build is missing from PowerShellStandard.Library 5.1; "Build" is an approved verb since PowerShell 6.
[Cmdlet("Build", "MzProject")]
[OutputType(typeof(MzProject))]
public sealed class BuildMzProjectCommand : MzCmdlet
{
    /// <summary>The project folder; default: the current location.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string? Path { get; set; }

    /// <summary>The profile whose variables and file overrides apply.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string? Profile { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        Compile();
        return Task.CompletedTask;
    }

    private void Compile()
    {
        var root = ResolvePath(Path);
        var profile = ProfileResolver.ResolveActiveProfile(Profile, root, ProcessEnvironment.Instance);
        WriteVerbose($"Compiling {root} (profile: {profile.Name ?? "none"}, {profile.SourceDescription})");
        var compiled = Invoke(() => ProjectCompiler.Compile(root, profile.Name), root);
        var output = ProjectMapper.ToOutput(compiled);
        CiOutput.For(this).Annotate(root, compiled.Diagnostics.Concat(compiled.Warnings));
        foreach (var warning in compiled.Warnings)
        {
            WriteWarning(warning.ToString());
        }

        if (compiled.Succeeded)
        {
            WriteObject(output);
            return;
        }

        // Each problem is its own error record (for -ErrorVariable, and to show where it is) unless -ErrorAction Stop would
        // end the run at the first; the final error lists them all unless they were just shown.
        var failed = new CompilationFailedException(compiled.Diagnostics);
        var record = ErrorRecords.From(failed, output);
        var action = ErrorAction();
        if (action != ActionPreference.Stop)
        {
            foreach (var error in output.Errors)
            {
                WriteError(ErrorRecords.From(error));
            }
        }

        if (action is ActionPreference.Continue or ActionPreference.Inquire)
        {
            record.ErrorDetails = new ErrorDetails(failed.Summary) { RecommendedAction = record.ErrorDetails?.RecommendedAction };
        }

        ThrowTerminatingError(record);
    }

    /// <summary>What this run does with a non-terminating error: -ErrorAction, else $ErrorActionPreference.</summary>
    private ActionPreference ErrorAction() =>
        MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var bound) && bound is ActionPreference given ? given
        : LanguagePrimitives.TryConvertTo<ActionPreference>(GetVariableValue("ErrorActionPreference"), out var preference) ? preference
        : ActionPreference.Continue;
}

using System.Management.Automation;
using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Project;
using MzDeploy.Engine.Sandbox;
using MzDeploy.Engine;
using MzDeploy.PowerShell.Infrastructure;
using MzDeploy.PowerShell.Infrastructure.Ci;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Compiles a Materialize SQL project offline.</para>
/// Writes one error record per problem (ErrorId, file, line, column), then a terminating
/// <c>CompilationFailed</c> error whose target object is the <see cref="MzProject"/> with every error.
/// With <c>-TypeCheck</c> it also creates every object in a scratch database of a sandbox (the private emulator, a
/// running one named by <c>-Sandbox</c>, or the Materialize of a <c>-Profile</c> given on the command), reporting unknown
/// columns, functions and type mismatches at their file, line and column, and fills each object's Columns.
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

    /// <summary>Also create every object in a sandbox, to check column names and types (needs PostgreSQL or a sandbox).</summary>
    [Parameter]
    public SwitchParameter TypeCheck { get; set; }

    /// <summary>With -TypeCheck: a running emulator to check in (<c>host:port</c>) instead of the private one.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Sandbox { get; set; }

    /// <summary>With -TypeCheck and -Profile: user and password replacing the profile's.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken) => CompileAsync(cancellationToken);

    private async Task CompileAsync(CancellationToken cancellationToken)
    {
        var root = ResolvePath(Path);
        var profile = ProfileResolver.ResolveActiveProfile(Profile, root, ProcessEnvironment.Instance);
        WriteVerbose($"Compiling {root} (profile: {profile.Name ?? "none"}, {profile.SourceDescription})");
        var compiled = Invoke(() => ProjectCompiler.Compile(root, profile.Name), root);
        TypeCheckResult? typeCheck = null;
        if (TypeCheck && compiled.Succeeded)
        {
            // Only a -Profile typed on the command sends the check there (MZ_DEPLOY_PROFILE names where deployments go).
            var typedProfile = MyInvocation.BoundParameters.ContainsKey(nameof(Profile))
                ? () => SandboxResolver.ResolveConnection(this, Profile, root, Credential)
                : (Func<ConnectionTarget>?)null;
            var sandbox = await SandboxResolver.ResolveAsync(this, typedProfile, Sandbox, "Type check sandbox", cancellationToken);
            typeCheck = await TypeCheckOperation.RunAsync(sandbox, compiled, Log, cancellationToken);
        }

        var output = ProjectMapper.ToOutput(compiled, typeCheck);
        var errors = compiled.Diagnostics.Concat(typeCheck?.Errors ?? []).ToList();
        var warnings = compiled.Warnings.Concat(typeCheck?.Warnings ?? []).ToList();
        CiOutput.For(this).Annotate(root, errors.Concat(warnings));
        foreach (var warning in warnings)
        {
            WriteWarning(warning.ToString());
        }

        if (errors.Count == 0)
        {
            WriteObject(output);
            return;
        }

        // Each problem is its own error record (for -ErrorVariable, and to show where it is) unless -ErrorAction Stop would
        // end the run at the first; the final error lists them all unless they were just shown.
        var failed = new CompilationFailedException(errors);
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

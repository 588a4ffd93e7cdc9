using System.Text.RegularExpressions;
using MzDeploy.Engine.Errors;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.Tests.Unit.Errors;

/// <summary>The one error catalogue: every ID once, and the engine's text free of PowerShell.</summary>
public sealed partial class ErrorCatalogueTests
{
    [Fact]
    public void Every_error_id_of_the_engine_and_the_module_is_unique()
    {
        var all = ErrorIds.All.Concat(ModuleErrorIds.All).ToList();

        Assert.True(ErrorIds.All.Count > 60, $"the catalogue lists {ErrorIds.All.Count} definitions");
        Assert.Empty(all.GroupBy(e => e.Id, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Fact]
    public void Ids_keep_the_values_scripts_match_on()
    {
        Assert.Equal("SqlStatementFailed", ErrorIds.SqlStatementFailed.Id);
        Assert.Equal("NoMzDeployRole", ErrorIds.NoMzDeployRole.Id);
        Assert.Equal("MzDeployRoleRequired", ErrorIds.MzDeployRoleRequired.Id);
        Assert.Equal("ProfilePasswordVariableNotFound", ErrorIds.ProfilePasswordVariableNotFound.Id);
        Assert.Equal("ConfirmationRequired", ModuleErrorIds.ConfirmationRequired.Id);
    }

    /// <summary>
    /// Before the catalogue each cmdlet listed the errors that concern one deployment (Publish, Wait, Remove); exactly
    /// those are <see cref="ErrorScope.Item"/>, so no refusal changed whether it stops a pipeline.
    /// </summary>
    [Fact]
    public void Exactly_the_errors_the_cmdlets_used_to_list_concern_one_item()
    {
        string[] listed =
        [
            "DeploymentNotFound", "DeploymentAlreadyPromoted", "DeploymentConflict", "ClustersNotReady", "DeploymentFailing",
            "StagingResourceMissing", "ProductionClusterMissing", "SinkSourceRemoved", "PromoteRaceLost", "PromoteIncomplete",
            "PromoteInterrupted", "UnmanagedObjects", "WaitTimeout", "DeploymentPartiallyPromoted",
            // Remove-MzObject works through a pipeline of objects: a refusal concerns that object only.
            "InvalidObjectReference", "ObjectNotFound", "ObjectKindMismatch", "ObjectHasDependents",
            // Publish-MzDeployment -MaxChangedRows refuses one deployment; the pipeline goes on with the next.
            "ChangedRowsExceeded",
            // The rollback window: each refusal concerns one deployment (Publish -KeepPrevious, Undo, Remove -Previous).
            "KeepPreviousNotPossible", "NoPreviousVersion", "RollbackWindowExpired", "RollbackSuperseded", "UndoInterrupted", "UndoIncomplete",
            // The freshness gate: a promote that watched one deployment saw it stop being ready.
            "DeploymentNotStable",
            // Unit tests: a failed or invalid test is reported and the run goes on with the next test.
            "UnitTestFailed", "UnitTestInvalid",
        ];

        Assert.Equal(listed.Order(StringComparer.Ordinal),
            ErrorIds.All.Where(e => e.Scope == ErrorScope.Item).Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.All(ModuleErrorIds.All, e => Assert.Equal(ErrorScope.Command, e.Scope));
    }

    [Fact]
    public void The_exception_takes_id_kind_and_scope_from_its_definition()
    {
        var e = new MzDeployException(ErrorIds.WaitTimeout, "late", "d1", new WaitLonger("d1"));

        Assert.Equal("WaitTimeout", e.ErrorId);
        Assert.Equal(ErrorKind.OperationTimeout, e.Kind);
        Assert.Equal(ErrorScope.Item, e.Scope);
        Assert.Equal(new WaitLonger("d1"), e.Remedy);
    }

    /// <summary>
    /// The engine speaks no PowerShell: no cmdlet name (<c>Verb-Mz…</c>), no parameter (<c>-DeployId</c>) and no
    /// <c>$env:</c> in any engine source file, comments included. Remedies carry WHAT to do; RemedyText says HOW.
    /// </summary>
    [Fact]
    public void The_engine_source_names_no_cmdlet_parameter_or_PowerShell_variable()
    {
        var engine = Path.Combine(RepositoryRoot(), "src", "MzDeploy.Engine");
        var hits = Directory.EnumerateFiles(engine, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(engine, f), Line: i + 1, Text: line)))
            .Where(l => PowerShellWords().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(Directory.Exists(Path.Combine(engine, "Errors")), engine);
        Assert.Empty(hits);
    }

    [Theory]
    [InlineData("Run Publish-MzDeployment -DeployId x again", true)]
    [InlineData("forced by -RedeployAll", true)]
    [InlineData("set $env:MZ_DEPLOY_PROFILE", true)]
    [InlineData("-OverwriteConflicts: overwriting", true)]
    [InlineData("-- PRAGMA WARN_ON_MISSING_VARIABLES;", false)]
    [InlineData("mz-deploy stage, then promote", false)]
    public void The_scan_recognises_PowerShell_words(string text, bool found) =>
        Assert.Equal(found, PowerShellWords().IsMatch(text));

    [GeneratedRegex(@"[A-Z][a-z]+-Mz[A-Za-z]+|(?<![A-Za-z0-9_\-])-[A-Z][a-z]+[A-Za-z]*|\$env:")]
    private static partial Regex PowerShellWords();

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MzDeploy.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"no MzDeploy.sln above {AppContext.BaseDirectory}");
    }
}

using System.Management.Automation;
using System.Runtime.CompilerServices;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Operations;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.Tests.Unit.Errors;

/// <summary>Every remedy the engine can give has text naming this module's cmdlets; warnings read as before.</summary>
public sealed class RemedyTextTests
{
    /// <summary>
    /// Every concrete Remedy, found by reflection: a new kind without a case in RemedyText fails here. Each is built with
    /// placeholder arguments ("x", false, the first enum value, an empty list).
    /// </summary>
    public static TheoryData<string> RemedyKinds()
    {
        var data = new TheoryData<string>();
        foreach (var type in RemedyTypes())
        {
            data.Add(type.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RemedyKinds))]
    public void Every_remedy_kind_renders_to_text(string kind)
    {
        var type = RemedyTypes().Single(t => t.Name == kind);
        var remedy = Build(type);

        var text = RemedyText.Render(remedy);

        Assert.False(string.IsNullOrWhiteSpace(text), kind);
    }

    [Fact]
    public void The_remedy_set_is_closed_and_found()
    {
        Assert.True(RemedyTypes().Count >= 20);
        Assert.All(typeof(Remedy).GetConstructors(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public),
            c => Assert.Fail($"Remedy has a public constructor: {c}"));
    }

    [Fact]
    public void Remedies_name_the_cmdlets_and_parameters_users_type()
    {
        Assert.Equal("Pick another -DeployId, or remove the staged one first: Remove-MzDeployment -DeployId r1",
            RemedyText.Render(new PickAnotherDeployId("r1", DeployIdHolder.Deployment)));
        Assert.Equal("Fix the cause, then run Publish-MzDeployment -DeployId r1 again: it resumes.",
            RemedyText.Render(new RerunPromote("r1", Effect: "it resumes.", First: "Fix the cause")));
        Assert.Equal("Remove-MzDeployment -DeployId r1, then stage again.", RemedyText.Render(new Restage("r1")));
        Assert.Equal("Wait for it with Wait-MzDeployment, or promote anyway with -NoReadyCheck.", RemedyText.Render(new WaitForDeployment("r1")));
        Assert.Contains("-DropUnmanagedObjects", RemedyText.Render(new AllowDropUnmanaged(["a.b.c"])), StringComparison.Ordinal);
        Assert.Contains("-OverwriteConflicts", RemedyText.Render(new OverwriteConflicts("r1")), StringComparison.Ordinal);
        Assert.Contains("-AllowDirty", RemedyText.Render(new CommitOrAllowDirty()), StringComparison.Ordinal);
        Assert.Contains("Initialize-MzDeploy", RemedyText.Render(new RunSetup()), StringComparison.Ordinal);
        Assert.Equal("Check the host.", RemedyText.Render(new Advice("Check the host.")));
        Assert.Equal("Review the differences with Compare-MzDeployment -DeployId r1; if they are intended, promote with a higher "
                     + "-MaxChangedRows (now 5), otherwise fix the project and stage again.",
            RemedyText.Render(new ReviewResultDifferences("r1", 5)));
        Assert.Equal("Install PostgreSQL 15 or newer (Debian/Ubuntu: sudo apt install postgresql-15; macOS: brew install postgresql@16; "
                     + "Windows: winget install PostgreSQL.PostgreSQL.16) and open a new session (or set $env:MZ_DEPLOY_POSTGRES_FOLDERS to the folder "
                     + "holding its initdb, pg_ctl and postgres), or pass -Profile to run against a "
                     + "Materialize of your own instead of the local sandbox.",
            RemedyText.Render(new InstallPostgres(15)));
    }

    [Fact]
    public void A_warning_reads_option_message_then_remedy()
    {
        Assert.Equal("-NoRollback: Staging 'p' failed; what it created is left in place. Clean up with: Remove-MzDeployment -DeployId p",
            RemedyText.Render(new OperationWarning("Staging 'p' failed; what it created is left in place.", new RemoveDeployment("p"),
                RequestOption.NoRollback)));
        Assert.Equal("Rolled back 'p'.", RemedyText.Render(new OperationWarning("Rolled back 'p'.")));
        Assert.All(Enum.GetValues<RequestOption>(), o => Assert.False(string.IsNullOrEmpty(RemedyText.Parameter(o))));
    }

    [Fact]
    public void An_error_record_carries_the_rendered_remedy_as_recommended_action()
    {
        var record = ErrorRecords.From(new MzDeployException(ErrorIds.DeploymentNotFound, "deployment 'd' not found", "d",
            new ListDeployments("d")));

        Assert.Equal("DeploymentNotFound", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, record.CategoryInfo.Category);
        Assert.StartsWith("Get-MzDeployment lists staged deployments", record.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
    }

    private static List<Type> RemedyTypes() =>
        typeof(Remedy).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Remedy)) && !t.IsAbstract).OrderBy(t => t.Name).ToList();

    private static Remedy Build(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => Placeholder(p.ParameterType)).ToArray();
        return (Remedy)constructor.Invoke(arguments);
    }

    private static object? Placeholder(Type type) =>
        type == typeof(string) ? "x"
        : type == typeof(bool) ? false
        : type.IsEnum ? Enum.GetValues(type).GetValue(0)
        : type.IsAssignableFrom(typeof(List<string>)) ? new List<string> { "x" }
        : RuntimeHelpers.GetUninitializedObject(type);
}

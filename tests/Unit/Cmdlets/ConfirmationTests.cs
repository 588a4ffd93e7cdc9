using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.Tests.Unit.Cmdlets;

/// <summary>
/// Confirmation for high-impact cmdlets, in a runspace without a user interface (like a job or an embedded host): asking
/// fails with ConfirmationRequired instead of hanging; -Force and -Confirm:$false answer in advance; -WhatIf never acts.
/// </summary>
public class ConfirmationTests
{
    /// <summary>Asks like Publish-MzDeployment, once per item, and emits the items it acted on.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "MzRisky", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class InvokeMzRiskyCommand : PSCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        public string Item { get; set; } = "one";

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void BeginProcessing() => Confirmation.EnsureCanAsk(this, Force, "drops things");

        protected override void ProcessRecord()
        {
            if (Confirmation.ShouldProcess(this, Force, "drops things", $"Drop {Item}", $"Drop {Item}?", "Invoke-MzRisky"))
            {
                WriteObject($"acted on {Item}");
            }
        }
    }

    /// <summary>Asks like Remove-MzDeployment: no -Force.</summary>
    [Cmdlet(VerbsCommon.Remove, "MzThing", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveMzThingCommand : PSCmdlet
    {
        protected override void BeginProcessing() => Confirmation.EnsureCanAsk(this, force: false, "drops a thing");

        protected override void ProcessRecord()
        {
            if (Confirmation.ShouldProcess(this, force: false, "drops a thing", "Drop the thing", "Drop the thing?", "Remove-MzThing"))
            {
                WriteObject("removed");
            }
        }
    }

    private static System.Management.Automation.PowerShell CreateShell()
    {
        var state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateCmdletEntry("Invoke-MzRisky", typeof(InvokeMzRiskyCommand), null));
        state.Commands.Add(new SessionStateCmdletEntry("Remove-MzThing", typeof(RemoveMzThingCommand), null));
        return System.Management.Automation.PowerShell.Create(state);
    }

    private static List<string> Run(Action<System.Management.Automation.PowerShell> build)
    {
        using var shell = CreateShell();
        build(shell);
        return shell.Invoke().Select(o => o.BaseObject.ToString()!).ToList();
    }

    [Fact]
    public void Without_Force_a_session_that_cannot_answer_fails_with_ConfirmationRequired_naming_both_switches()
    {
        using var shell = CreateShell();
        shell.AddCommand("Invoke-MzRisky");

        var thrown = Assert.ThrowsAny<RuntimeException>(() => shell.Invoke());

        Assert.Equal(ModuleErrorIds.ConfirmationRequired.Id, thrown.ErrorRecord.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("-Force", thrown.Message);
        Assert.Contains("-Confirm:$false", thrown.Message);
        Assert.Contains("Invoke-MzRisky drops things", thrown.Message);
    }

    [Fact]
    public void Force_acts_on_every_pipeline_item_without_asking() =>
        Assert.Equal(["acted on a", "acted on b"], Run(s => s.AddScript("'a', 'b' | Invoke-MzRisky -Force")));

    [Fact]
    public void Confirm_false_acts_without_asking() =>
        Assert.Equal(["acted on one"], Run(s => s.AddScript("Invoke-MzRisky -Confirm:$false")));

    [Fact]
    public void ConfirmPreference_None_acts_without_asking() =>
        Assert.Equal(["acted on one"], Run(s => s.AddScript("$ConfirmPreference = 'None'; Invoke-MzRisky")));

    [Theory]
    [InlineData("Invoke-MzRisky -WhatIf")]
    [InlineData("Invoke-MzRisky -WhatIf -Force")]
    [InlineData("$WhatIfPreference = $true; Invoke-MzRisky -Force")]
    public void WhatIf_never_acts_even_with_Force(string script) => Assert.Empty(Run(s => s.AddScript(script)));

    [Fact]
    public void An_explicit_Confirm_asks_even_with_Force()
    {
        using var shell = CreateShell();
        shell.AddCommand("Invoke-MzRisky").AddParameter("Force").AddParameter("Confirm", true);

        var thrown = Assert.ThrowsAny<RuntimeException>(() => shell.Invoke());

        Assert.Equal(ModuleErrorIds.ConfirmationRequired.Id, thrown.ErrorRecord.FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void A_cmdlet_without_Force_names_only_Confirm_false()
    {
        using var shell = CreateShell();
        shell.AddCommand("Remove-MzThing");

        var thrown = Assert.ThrowsAny<RuntimeException>(() => shell.Invoke());

        Assert.Equal(ModuleErrorIds.ConfirmationRequired.Id, thrown.ErrorRecord.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("Pass -Confirm:$false", thrown.Message);
        Assert.DoesNotContain("-Force", thrown.Message);
        Assert.Equal(["removed"], Run(s => s.AddScript("Remove-MzThing -Confirm:$false")));
    }
}

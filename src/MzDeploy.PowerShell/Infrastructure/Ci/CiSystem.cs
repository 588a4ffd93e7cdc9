namespace MzDeploy.PowerShell.Infrastructure.Ci;

/// <summary>The CI system a cmdlet runs under, as far as its output is concerned.</summary>
internal enum CiSystem
{
    /// <summary>Not in CI, or CI output turned off: cmdlets write only their usual streams.</summary>
    None,

    /// <summary>GitHub Actions (<c>GITHUB_ACTIONS=true</c>): workflow commands and the step summary file.</summary>
    GitHubActions,

    /// <summary>Azure Pipelines (<c>TF_BUILD=True</c>): <c>##vso[…]</c> logging commands and uploaded summaries.</summary>
    AzurePipelines,
}

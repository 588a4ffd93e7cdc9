# Shared helpers for the Pester suite. Dot-source from BeforeAll.

# Writes a project into a fresh folder: $Files maps relative paths to SQL text. A project.toml is
# added unless one is given. Returns the folder's full path.
function New-TestProject {
    param(
        [Parameter(Mandatory)] [hashtable] $Files,
        [string] $ProjectToml = "# test project`n"
    )
    $root = Join-Path ([System.IO.Path]::GetTempPath()) ("mzdeploy-test-" + [guid]::NewGuid().ToString('n').Substring(0, 12))
    $null = New-Item -ItemType Directory -Path $root
    if (-not $Files.ContainsKey('project.toml')) { $Files['project.toml'] = $ProjectToml }
    foreach ($relative in $Files.Keys) {
        $path = Join-Path $root $relative
        $null = New-Item -ItemType Directory -Path (Split-Path $path) -Force
        [System.IO.File]::WriteAllText($path, $Files[$relative])
    }
    return $root
}

# Runs Build-MzProject and returns what a user would see: the project (or the failed project carried
# by the terminating error) and every error record written.
function Invoke-Compile {
    param([Parameter(Mandatory)] [string] $Path, [string] $Profile)
    $errors = @()
    $project = $null
    $terminating = $null
    $arguments = @{ Path = $Path }
    if ($Profile) { $arguments.Profile = $Profile }
    try {
        $project = Build-MzProject @arguments -ErrorVariable +errors -ErrorAction Continue 2>$null
    }
    catch {
        $terminating = $_
        $project = $_.TargetObject
    }
    [pscustomobject]@{
        Project     = $project
        Errors      = @($errors | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and $_.FullyQualifiedErrorId -notlike 'CompilationFailed*' })
        Terminating = $terminating
    }
}

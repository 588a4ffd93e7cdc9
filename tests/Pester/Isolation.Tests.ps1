# Dependency isolation, as a user meets it: a session that already uses another Npgsql (8.0.5, as another module
# would) imports MzDeploy (Npgsql 10.x) and deploys — and the other order. Each case runs in a fresh pwsh, because an
# assembly once loaded stays loaded for the life of the process.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $repository = Split-Path (Split-Path $PSScriptRoot)
    $otherNpgsql = Join-Path $repository 'out/other-npgsql'
    if (-not (Test-Path (Join-Path $otherNpgsql 'Npgsql.dll'))) {
        & dotnet publish (Join-Path $repository 'tests/Fixtures/OtherNpgsql/OtherNpgsql.csproj') -c Release -o $otherNpgsql --nologo -v quiet | Out-Null
        if ($LASTEXITCODE -ne 0) { throw 'Could not publish tests/Fixtures/OtherNpgsql' }
    }

    function Invoke-IsolatedDeploy([switch] $OtherFirst) {
        $work = Join-Path ([IO.Path]::GetTempPath()) ('mzdeploy-isolation-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $null = New-Item -ItemType Directory -Path $work
        $arguments = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Isolation/StageAndPromote.ps1'),
            '-OtherNpgsql', $otherNpgsql, '-ModuleManifest', $env:MZDEPLOY_MODULE, '-Port', $script:emulator.Port, '-Work', $work)
        if ($OtherFirst) { $arguments += '-OtherFirst' }
        $previous = $env:MZ_DEPLOY_PROFILE
        $env:MZ_DEPLOY_PROFILE = 'test'
        try {
            $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') @arguments 2>&1
            $exit = $LASTEXITCODE
        }
        finally {
            $env:MZ_DEPLOY_PROFILE = $previous
            Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
        }
        if ($exit -ne 0) { throw "The isolated deploy failed (exit $exit): $($output -join [Environment]::NewLine)" }
        ($output | Select-Object -Last 1) | ConvertFrom-Json
    }
}

Describe 'MzDeploy beside another Npgsql in one session' {
    # Each case deploys the same example from scratch: one emulator each.
    BeforeEach { $script:emulator = Start-TestEmulator }
    AfterEach { if ($script:emulator) { Stop-TestEmulator $script:emulator } }

    It 'imports, stages and promotes after the session loaded Npgsql 8.0.5, and the session''s Npgsql keeps working' {
        $result = Invoke-IsolatedDeploy -OtherFirst

        $result.PromotedId | Should -Be $result.DeployId
        $result.SwappedSchemas.Production | Should -Be @('materialize.monitoring')
        $result.OtherAnswers | Should -Be @('42', '42')
        $result.Npgsql | Should -Contain '8.0.5.0 in Default'
        @($result.Npgsql | Where-Object { $_ -like '10.*' -and $_ -notlike '* in Default' }).Count | Should -Be 1
    }

    It 'stages with MzDeploy first, then loads Npgsql 8.0.5, queries with it and still promotes' {
        $result = Invoke-IsolatedDeploy

        $result.PromotedId | Should -Be $result.DeployId
        $result.OtherAnswers | Should -Be @('42', '42')
        $result.Npgsql | Should -Contain '8.0.5.0 in Default'
        @($result.Npgsql | Where-Object { $_ -like '10.*' -and $_ -notlike '* in Default' }).Count | Should -Be 1
    }
}

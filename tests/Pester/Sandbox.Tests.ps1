# The private sandbox in the built module: Get-MzSandbox -Start starts the emulator the module carries over this machine's
# PostgreSQL, later calls reuse it, Stop-MzSandbox and Remove-Module stop it (its PostgreSQL included), and without
# PostgreSQL the error says what to install. Each check looks at the real processes and files.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force

    # The postmaster of a sandbox runs while its pid file exists (PostgreSQL removes it on shutdown).
    function Get-Postmaster([string] $DataDirectory) { Join-Path $DataDirectory 'pgdata/postmaster.pid' }

    function Test-Answers([int] $Port) {
        $client = [System.Net.Sockets.TcpClient]::new()
        try { $client.Connect('127.0.0.1', $Port); $true } catch { $false } finally { $client.Dispose() }
    }
}

AfterAll {
    Stop-MzSandbox
}

Describe 'Get-MzSandbox' {
    It 'writes nothing while no sandbox runs' {
        Stop-MzSandbox

        Get-MzSandbox | Should -BeNullOrEmpty
    }

    It '-Start starts the emulator the module carries, on the loopback address, over its own PostgreSQL' {
        $sandbox = Get-MzSandbox -Start -Verbose 4>&1 | Tee-Object -Variable all | Where-Object { $_ -is [MzDeploy.MzSandbox] }

        $sandbox.IsRunning | Should -BeTrue
        $sandbox.Server | Should -Be "127.0.0.1:$($sandbox.Port)"
        Test-Answers $sandbox.Port | Should -BeTrue
        Get-Postmaster $sandbox.DataDirectory | Should -Exist
        $sandbox.StartDuration | Should -BeGreaterThan ([TimeSpan]::Zero)
        ($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Match 'Started the private sandbox at 127\.0\.0\.1:\d+ in'
        ($sandbox | Format-Table | Out-String) | Should -Match 'Server\s+IsRunning\s+StartTime\s+StartDuration'
    }

    It 'reuses the running sandbox across calls' {
        $first = Get-MzSandbox -Start
        $second = Get-MzSandbox -Start
        $shown = Get-MzSandbox

        $second.Port | Should -Be $first.Port
        $shown.Port | Should -Be $first.Port
        $second.StartTime | Should -Be $first.StartTime
    }
}

Describe 'Stop-MzSandbox' {
    It 'stops the emulator and its PostgreSQL and removes its data; -PassThru writes what it stopped' {
        $running = Get-MzSandbox -Start

        $stopped = Stop-MzSandbox -PassThru

        $stopped.Port | Should -Be $running.Port
        $stopped.IsRunning | Should -BeFalse
        Get-Postmaster $running.DataDirectory | Should -Not -Exist
        $running.DataDirectory | Should -Not -Exist
        Test-Answers $running.Port | Should -BeFalse
        Get-MzSandbox | Should -BeNullOrEmpty
    }

    It '-WhatIf stops nothing' {
        $running = Get-MzSandbox -Start

        Stop-MzSandbox -WhatIf -PassThru | Should -BeNullOrEmpty

        (Get-MzSandbox).Port | Should -Be $running.Port
    }

    It 'the next start is a new sandbox' {
        $before = Get-MzSandbox -Start
        Stop-MzSandbox

        $after = Get-MzSandbox -Start

        $after.IsRunning | Should -BeTrue
        $after.DataDirectory | Should -Not -Be $before.DataDirectory
    }
}

Describe 'Remove-Module' {
    It 'stops the sandbox with the module: its PostgreSQL is gone' {
        $running = Get-MzSandbox -Start

        Remove-Module MzDeploy
        try {
            Get-Postmaster $running.DataDirectory | Should -Not -Exist
            $running.DataDirectory | Should -Not -Exist
            Test-Answers $running.Port | Should -BeFalse
        }
        finally {
            Import-Module $env:MZDEPLOY_MODULE -Force
        }

        Get-MzSandbox | Should -BeNullOrEmpty
    }
}

Describe 'Without PostgreSQL' {
    BeforeAll {
        Stop-MzSandbox
        $script:empty = Join-Path ([IO.Path]::GetTempPath()) ('mzdeploy-nopg-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $null = New-Item -ItemType Directory -Path $script:empty
        $script:previous = $env:MZ_DEPLOY_POSTGRES_FOLDERS
    }

    AfterAll {
        $env:MZ_DEPLOY_POSTGRES_FOLDERS = $script:previous
        Remove-Item $script:empty -Recurse -Force
    }

    It 'says which package to install and names -Profile' {
        # The override searches only the folders it names: here one without PostgreSQL.
        $env:MZ_DEPLOY_POSTGRES_FOLDERS = $script:empty

        $failure = { Get-MzSandbox -Start } | Should -Throw -PassThru

        $failure.FullyQualifiedErrorId | Should -BeLike 'PostgresNotFound*'
        $failure.CategoryInfo.Category | Should -Be 'NotInstalled'
        $failure.Exception.Message | Should -Match 'PostgreSQL 15 or newer'
        $advice = $failure.ErrorDetails.RecommendedAction
        $advice | Should -Match 'apt install postgresql-15'
        $advice | Should -Match 'brew install postgresql@16'
        $advice | Should -Match 'winget install PostgreSQL\.PostgreSQL\.16'
        $advice | Should -Match '-Profile'
        Get-MzSandbox | Should -BeNullOrEmpty
    }
}

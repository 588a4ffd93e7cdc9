# Setting up an environment and reading its deployments, end to end: the built module against an
# emulator started for this file. Deployment rows are written the way mz-deploy (tracking schema v1)
# writes them, since staging is not part of this slice.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Secret = 'Pester-S3cret-' + [guid]::NewGuid().ToString('n').Substring(0, 10)
    $script:Monitor = 'pester_monitor_' + [guid]::NewGuid().ToString('n').Substring(0, 6)
    $env:MZ_PESTER_MONITOR_PASSWORD = $Secret
    $script:Emulator = Start-TestEmulator -Profiles @{
        monitor = @{ username = $Monitor; password = '${MZ_PESTER_MONITOR_PASSWORD}' }
    }
    $script:Project = New-TestProject -Files @{}

    function Get-CatalogCount([string] $Where) {
        [int]@(Invoke-TestSql $Emulator "SELECT count(*) FROM $Where")[0]
    }
}

AfterAll {
    Stop-TestEmulator $Emulator
    Remove-Item Env:MZ_PESTER_MONITOR_PASSWORD -ErrorAction SilentlyContinue
    Remove-Item $Project -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Setting up a Materialize environment' {
    It '-WhatIf lists the SQL it would run and changes nothing' {
        $transcript = Join-Path ([System.IO.Path]::GetTempPath()) ("mzdeploy-whatif-" + [guid]::NewGuid().ToString('n') + '.txt')
        $null = Start-Transcript -Path $transcript
        try { $output = Initialize-MzDeploy -Profile test -Path $Project -WhatIf }
        finally { $null = Stop-Transcript }
        $text = Get-Content $transcript -Raw
        Remove-Item $transcript

        $output | Should -BeNullOrEmpty
        $text | Should -Match 'What if: Initialize mz-deploy on 127\.0\.0\.1:\d+'
        $text | Should -Match ([regex]::Escape('CREATE CLUSTER "_mz_deploy_server" (SIZE = ''25cc'');'))
        $text | Should -Match ([regex]::Escape('CREATE TABLE IF NOT EXISTS "_mz_deploy"."tables"."deployments"'))
        $text | Should -Match ([regex]::Escape('GRANT USAGE ON CLUSTER "_mz_deploy_server" TO "materialize_monitor";'))
        Get-CatalogCount "mz_clusters WHERE name = '_mz_deploy_server'" | Should -Be 0
        Get-CatalogCount "mz_databases WHERE name = '_mz_deploy'" | Should -Be 0
    }

    It 'refuses to connect other commands before setup, naming what is missing' {
        { Get-MzDeployment -Profile test -Path $Project } | Should -Throw -ErrorId 'SetupRequired,*' -ExpectedMessage '*missing cluster _mz_deploy_server, database _mz_deploy*and * more*'
    }

    It 'creates the server cluster, the tracking database and the three roles' {
        $result = Initialize-MzDeploy -Profile test -Path $Project -ClusterSize xsmall

        $result | Should -BeOfType MzDeploy.MzSetupResult
        $result.RbacEnabled | Should -BeTrue
        $result.Created | Should -Contain 'cluster _mz_deploy_server'
        $result.Created | Should -Contain 'view _mz_deploy.public.production'
        $result.Created | Should -Contain 'table _mz_deploy.tables.kept_versions'
        $result.Created | Should -Contain 'role materialize_deployer'
        $result.Statements[0] | Should -Be 'CREATE CLUSTER "_mz_deploy_server" (SIZE = ''xsmall'');'
        Invoke-TestSql $Emulator "SELECT size FROM mz_clusters WHERE name = '_mz_deploy_server'" | Should -Be 'xsmall'
        Get-CatalogCount ("mz_objects o JOIN mz_schemas s ON s.id = o.schema_id JOIN mz_databases d ON d.id = s.database_id " +
            "WHERE d.name = '_mz_deploy' AND o.type IN ('table', 'view')") | Should -Be 22
        Invoke-TestSql $Emulator 'SELECT version FROM _mz_deploy.tables.version' | Should -Be '1'
        Get-CatalogCount "mz_roles WHERE name IN ('materialize_deployer', 'materialize_developer', 'materialize_monitor')" | Should -Be 3
    }

    It 'a second run creates nothing and says so' {
        $result = Initialize-MzDeploy -Profile test -Path $Project
        $result.Created | Should -BeNullOrEmpty
        $result.AlreadyPresent | Should -Contain 'table _mz_deploy.tables.deployments'
        ($result | Format-List | Out-String) | Should -Match 'nothing: mz-deploy is already set up'
        Get-CatalogCount "mz_clusters WHERE name = '_mz_deploy_server'" | Should -Be 1
    }

    It 'refuses a non-superuser while RBAC is on, naming the current role' {
        Invoke-TestSql $Emulator "CREATE ROLE $Monitor WITH LOGIN PASSWORD '$Secret'"
        Invoke-TestSql $Emulator "GRANT materialize_monitor TO $Monitor"
        { Initialize-MzDeploy -Profile monitor -Path $Project } |
            Should -Throw -ErrorId 'SetupRequiresSuperuser,*' -ExpectedMessage "*requires a superuser role when RBAC is enforced (current role: '$Monitor')*"
    }
}

Describe 'Reading deployments' {
    BeforeAll {
        function Add-Deployment([string] $Id, [string] $Schema, [string] $PromotedAt = 'NULL', [string] $Cluster) {
            Invoke-TestSql $Emulator ("INSERT INTO _mz_deploy.tables.deployments VALUES ('$Id', '2026-11-20 10:00:00+00', $PromotedAt, " +
                "'materialize', '$Schema', 'alice', 'c0ffee1234', 'objects', 'stage')")
            Invoke-TestSql $Emulator "INSERT INTO _mz_deploy.tables.objects VALUES ('$Id', 'materialize', '$Schema', 'totals', 'sha256:abc')"
            if ($Cluster) {
                Invoke-TestSql $Emulator "CREATE CLUSTER $Cluster (SIZE = 'xsmall')"
                Invoke-TestSql $Emulator "CREATE CLUSTER ${Cluster}_$($Id -replace '-', '_') (SIZE = 'xsmall')"
                Invoke-TestSql $Emulator "INSERT INTO _mz_deploy.tables.clusters SELECT '$Id', id FROM mz_clusters WHERE name = '$Cluster'"
            }
        }
        Add-Deployment 'rel_1' 'sales' -Cluster 'compute_a'
        Add-Deployment 'rel_2' 'ops' -Cluster 'compute_b'
        Invoke-TestSql $Emulator "CREATE SCHEMA sales_rel_1"
        Invoke-TestSql $Emulator "CREATE MATERIALIZED VIEW sales_rel_1.totals IN CLUSTER compute_a_rel_1 AS SELECT 1 AS n"
        Invoke-TestSql $Emulator "CREATE SCHEMA ops_rel_2"
        Invoke-TestSql $Emulator "CREATE MATERIALIZED VIEW ops_rel_2.totals IN CLUSTER compute_b_rel_2 AS SELECT 1 AS n"
        Invoke-TestSql $Emulator "SELECT mz_emulator.set_hydration_delay('compute_b_rel_2', interval '1 hour')"
        Add-Deployment 'old_1' 'sales' -PromotedAt "'2026-11-18 09:00:00+00'"
        Add-Deployment 'old_2' 'sales' -PromotedAt "'2026-11-19 09:00:00+00'"
    }

    It 'lists the staged deployments with their live status' {
        $deployments = @(Get-MzDeployment -Profile test -Path $Project)
        $deployments.DeployId | Should -Be @('rel_1', 'rel_2')
        $deployments[0] | Should -BeOfType MzDeploy.MzDeployment
        $deployments[0].Status | Should -Be ([MzDeploy.MzDeploymentStatus]::Ready)
        $deployments[1].Status | Should -Be Hydrating
        $deployments[1].Clusters[0].Cluster | Should -Be 'compute_b_rel_2'
        $deployments[1].Clusters[0].HydratedObjects | Should -Be 0
        $deployments[1].Clusters[0].TotalObjects | Should -Be 1
        $deployments[0].Schemas | Should -Be @('materialize.sales')
        $deployments[0].Objects[0].Hash | Should -Be 'sha256:abc'
        $deployments[0].DeployedAt | Should -Be ([DateTimeOffset]'2026-11-20T10:00:00Z')
    }

    It 'filters by status in the pipeline' {
        $ready = @(Get-MzDeployment -Profile test -Path $Project | Where-Object Status -eq ready)
        $ready.DeployId | Should -Be @('rel_1')
    }

    It 'describes deployments by ID with wildcards, staged or promoted' {
        (Get-MzDeployment -Profile test -Path $Project -DeployId 'old*').DeployId | Should -Be @('old_1', 'old_2')
        (Get-MzDeployment -Profile test -Path $Project -DeployId 'OLD_1').Status | Should -Be Promoted
        (Get-MzDeployment -Profile test -Path $Project -Promoted).DeployId | Should -Be @('old_2', 'old_1') -Because 'the latest promotion comes first'
        (Get-MzDeployment -Profile test -Path $Project -Promoted -DeployId '*2').DeployId | Should -Be @('old_2')
    }

    It 'takes deploy IDs from the pipeline by property name' {
        ([pscustomobject]@{ DeployId = 'rel_2' } | Get-MzDeployment -Profile test -Path $Project).Status | Should -Be Hydrating
    }

    It 'reports an unknown deploy ID as a non-terminating DeploymentNotFound error' {
        $found = Get-MzDeployment -Profile test -Path $Project -DeployId 'rel_1', 'nope' -ErrorVariable problems -ErrorAction SilentlyContinue
        $found.DeployId | Should -Be 'rel_1'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'DeploymentNotFound,*'
        $problems[0].TargetObject | Should -Be 'nope'
    }

    It 'counts a hydrated deployment as lagging past the allowed lag' {
        Invoke-TestSql $Emulator "SELECT mz_emulator.set_lag('compute_a_rel_1', interval '2 minutes')"
        (Get-MzDeployment -Profile test -Path $Project -DeployId rel_1 -AllowedLag 60).Status | Should -Be Lagging
        (Get-MzDeployment -Profile test -Path $Project -DeployId rel_1).Status | Should -Be Ready
    }

    It 'lists the promotions newest first' {
        $history = @(Get-MzDeploymentHistory -Profile test -Path $Project)
        $history.DeployId | Should -Be @('old_2', 'old_1')
        $history[0] | Should -BeOfType MzDeploy.MzPromotionRecord
        $history[0].Schemas | Should -Be @('materialize.sales')
        $history[0].DeployedBy | Should -Be 'alice'
        (Get-MzDeploymentHistory -Profile test -Path $Project -First 1).DeployId | Should -Be 'old_2'
        (Get-MzDeploymentHistory -Profile test -Path $Project -DeployId '*_1').DeployId | Should -Be 'old_1'
    }

    It 'writes nothing but a verbose message when nothing matches' {
        $all = Get-MzDeploymentHistory -Profile test -Path $Project -DeployId 'none*' -Verbose 4>&1
        @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) | Should -BeNullOrEmpty
        ($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain 'No deployment history found: nothing has been promoted yet.'
    }

    It 'formats deployments as a table' {
        $text = Get-MzDeployment -Profile test -Path $Project | Out-String -Width 200
        $text | Should -Match 'rel_1\s+Ready\s+alice'
        $text | Should -Match '1/1 ready'
    }
}

Describe 'Roles and secrets' {
    It 'lets a monitor read deployments with a ${VAR} password and never shows the password' {
        $everything = Get-MzDeployment -Profile monitor -Path $Project -Verbose *>&1 | Out-String -Width 400
        $everything | Should -Match 'rel_1'
        $everything | Should -Match ([regex]::Escape("Username=$Monitor"))
        $everything | Should -Match ([regex]::Escape("Connected as '$Monitor' (materialize_monitor)."))
        $everything | Should -Not -Match ([regex]::Escape($Secret))
    }

    It 'tells a user without an mz-deploy role which GRANT to ask for, without the password' {
        $plain = 'pester_plain_' + [guid]::NewGuid().ToString('n').Substring(0, 6)
        $password = 'Plain-' + [guid]::NewGuid().ToString('n')
        Invoke-TestSql $Emulator "CREATE ROLE $plain WITH LOGIN PASSWORD '$password'"
        $credential = [pscredential]::new($plain, (ConvertTo-SecureString $password -AsPlainText -Force))
        $caught = $null
        $streams = try { Get-MzDeployment -Profile test -Path $Project -Credential $credential -Verbose *>&1 } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'NoMzDeployRole,*'
        $caught.ErrorDetails.RecommendedAction | Should -Be "Ask an administrator to run: GRANT materialize_monitor TO $plain"
        $text = ($streams | Out-String) + ($caught | Out-String) + $caught.Exception.ToString()
        $text | Should -Not -Match ([regex]::Escape($password))
    }

    It 'reports a wrong -Credential password as AuthenticationFailed without echoing it' {
        $wrong = 'Wr0ng-' + [guid]::NewGuid().ToString('n')
        $credential = [pscredential]::new($Monitor, (ConvertTo-SecureString $wrong -AsPlainText -Force))
        $caught = $null
        $streams = try { Get-MzDeploymentHistory -Profile test -Path $Project -Credential $credential -Verbose *>&1 } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'AuthenticationFailed,*'
        $text = ($streams | Out-String) + ($caught | Out-String) + $caught.Exception.ToString() + ($Error | Out-String)
        $text | Should -Not -Match ([regex]::Escape($wrong))
        $text | Should -Not -Match ([regex]::Escape($Secret))
    }
}

# Connecting over TLS, end to end: the built module against an emulator started with --tls, which has a
# certificate authority of its own and refuses plaintext connections as a Materialize region does.
# Profiles with sslmode verify-full and the emulator's CA connect; a plaintext profile and a profile
# that trusts another CA are refused with a connection error naming the profile.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $repository = Split-Path (Split-Path $PSScriptRoot)
    $id = [guid]::NewGuid().ToString('n').Substring(0, 10)
    $script:Emulator = Start-MzEmulatorProcess -EmulatorDll (Join-Path $repository 'out/emulator/MzDeploy.Emulator.dll') `
        -DataDirectory (Join-Path ([System.IO.Path]::GetTempPath()) "mzdeploy-pester-tls-$id") -Tls
    $script:Folder = Join-Path ([System.IO.Path]::GetTempPath()) "mzdeploy-pester-tls-profiles-$id"
    $null = New-Item -ItemType Directory -Path $Folder

    # A certificate authority the emulator's certificate was not issued by.
    $key = [System.Security.Cryptography.RSA]::Create(2048)
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=Someone Else CA', $key,
        [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
    $other = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(1))
    $script:OtherCa = Join-Path $Folder 'other-ca.pem'
    Set-Content -Path $OtherCa -Value $other.ExportCertificatePem()

    $port = $Emulator.Port
    $ca = $Emulator.CaCertificate -replace '\\', '/'
    Set-Content -Path (Join-Path $Folder 'profiles.toml') -Value @"
[verified]
host = "localhost"
port = $port
username = "materialize"
sslmode = "verify-full"
sslrootcert = "$ca"

[plaintext]
host = "127.0.0.1"
port = $port
username = "materialize"
sslmode = "disable"

[strangers]
host = "localhost"
port = $port
username = "materialize"
sslmode = "verify-full"
sslrootcert = "$($OtherCa -replace '\\', '/')"
"@
    $script:PreviousProfiles = $env:MZ_DEPLOY_PROFILES_DIR
    $env:MZ_DEPLOY_PROFILES_DIR = $Folder
    $script:Work = [System.IO.Path]::GetTempPath()
}

AfterAll {
    Stop-MzEmulatorProcess $Emulator
    $env:MZ_DEPLOY_PROFILES_DIR = $PreviousProfiles
    Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'TLS' {
    It 'the emulator hands out the certificate authority it signs with' {
        $Emulator.CaCertificate | Should -Exist
        (Get-Content -Raw $Emulator.CaCertificate) | Should -Match 'BEGIN CERTIFICATE'
    }

    It 'a verify-full profile that trusts the emulator''s CA sets up and reads deployments over TLS' {
        $setup = Initialize-MzDeploy -Profile verified -Path $Work -ClusterSize xsmall
        $setup | Should -Not -BeNullOrEmpty
        @(Get-MzDeployment -Profile verified -Path $Work) | Should -HaveCount 0
        Invoke-MzEmulatorSql -Port $Emulator.Port -Sql "SELECT count(*) FROM mz_databases WHERE name = '_mz_deploy'" | Should -Be '1'
    }

    It 'a plaintext profile is refused by the server (SQLSTATE 28000, as a TLS-only region answers) naming the profile' {
        $e = { Get-MzDeployment -Profile plaintext -Path $Work -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Match '^AuthenticationFailed,'
        $e.Exception.Message | Should -Match "profile 'plaintext'"
        $e.Exception.Message | Should -Match 'TLS is required'
        $e.ErrorDetails.RecommendedAction | Should -Match 'sslmode = "verify-full"'
        $e.ErrorDetails.RecommendedAction | Should -Match "profile 'plaintext'"
    }

    It 'a profile that trusts another certificate authority is refused before anything is sent' {
        $e = { Get-MzDeployment -Profile strangers -Path $Work -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Match '^ConnectionFailed,'
        $e.Exception.Message | Should -Match "profile 'strangers'"
        $e.ErrorDetails.RecommendedAction | Should -Match "set sslrootcert of profile 'strangers'"
    }
}

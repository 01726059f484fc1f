# Real proxies for the proxy tests: tinyproxy from Debian's packages (.ci/run installs it) on a free loopback
# port with its own config and log under a temporary folder, and a test CA whose server certificate lets the
# emulator serve https, so that requests go through the proxy in CONNECT tunnels as they do in a company.

Set-StrictMode -Version 3.0

function Get-FreeLoopbackPort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function New-TestCertificateAuthority {
    <# A CA and a server certificate for 127.0.0.1, ::1 and localhost, written to -Directory: ca.pem (for a child's
       SSL_CERT_FILE) and server.pfx (no password, for the emulator's --https-certificate). Valid for one day. #>
    param([Parameter(Mandatory)][string] $Directory)
    $x509 = 'System.Security.Cryptography.X509Certificates'
    $now = [DateTimeOffset]::UtcNow
    $caKey = [Security.Cryptography.RSA]::Create(2048)
    $caRequest = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=ZAi test CA', $caKey, 'SHA256', [Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $caRequest.CertificateExtensions.Add((New-Object "$x509.X509BasicConstraintsExtension" $true, $false, 0, $true))
    $caRequest.CertificateExtensions.Add((New-Object "$x509.X509KeyUsageExtension" ([Security.Cryptography.X509Certificates.X509KeyUsageFlags]'KeyCertSign, CrlSign'), $true))
    $caRequest.CertificateExtensions.Add((New-Object "$x509.X509SubjectKeyIdentifierExtension" $caRequest.PublicKey, $false))
    $ca = $caRequest.CreateSelfSigned($now.AddHours(-1), $now.AddDays(1))

    $serverKey = [Security.Cryptography.RSA]::Create(2048)
    $serverRequest = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=localhost', $serverKey, 'SHA256', [Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $names = [Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
    $names.AddDnsName('localhost')
    $names.AddIpAddress([Net.IPAddress]::Loopback)
    $names.AddIpAddress([Net.IPAddress]::IPv6Loopback)
    $serverRequest.CertificateExtensions.Add($names.Build())
    $serverRequest.CertificateExtensions.Add((New-Object "$x509.X509BasicConstraintsExtension" $false, $false, 0, $true))
    $serverRequest.CertificateExtensions.Add((New-Object "$x509.X509KeyUsageExtension" ([Security.Cryptography.X509Certificates.X509KeyUsageFlags]'DigitalSignature, KeyEncipherment'), $true))
    $usages = [Security.Cryptography.OidCollection]::new()
    $null = $usages.Add([Security.Cryptography.Oid]::new('1.3.6.1.5.5.7.3.1'))
    $serverRequest.CertificateExtensions.Add((New-Object "$x509.X509EnhancedKeyUsageExtension" $usages, $false))
    $serverRequest.CertificateExtensions.Add([Security.Cryptography.X509Certificates.X509AuthorityKeyIdentifierExtension]::CreateFromCertificate($ca, $true, $false))
    $serial = [byte[]]::new(12); [Security.Cryptography.RandomNumberGenerator]::Fill($serial)
    $server = [Security.Cryptography.X509Certificates.RSACertificateExtensions]::CopyWithPrivateKey($serverRequest.Create($ca, $now.AddHours(-1), $now.AddDays(1), $serial), $serverKey)

    $null = New-Item -ItemType Directory -Force $Directory
    $pem = Join-Path $Directory 'ca.pem'
    $pfx = Join-Path $Directory 'server.pfx'
    Set-Content -Path $pem -Value $ca.ExportCertificatePem()
    [IO.File]::WriteAllBytes($pfx, $server.Export([Security.Cryptography.X509Certificates.X509ContentType]::Pkcs12))
    [pscustomobject]@{ CaFile = $pem; ServerPfx = $pfx }
}

function Assert-TinyproxyInstalled {
    <# The proxy tests need a real proxy: without tinyproxy they fail under CI (CI=true) and are skipped elsewhere. #>
    [bool](Get-Command tinyproxy -CommandType Application -ErrorAction Ignore)
}

function Start-TestProxy {
    <# Starts tinyproxy in the foreground on a free loopback port, with its own config and log in -Directory;
       -User and -Password turn on Basic authentication (HTTP 407 without them). Returns Process, Url, Port and
       Log. Every CONNECT it receives is in its log (Get-TestProxyRequest). #>
    param([Parameter(Mandatory)][string] $Directory, [string] $User, [string] $Password)
    $exe = Get-Command tinyproxy -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $exe) { throw 'tinyproxy is not installed: the proxy tests need a real proxy (apt-get install tinyproxy; .ci/run installs it).' }
    $null = New-Item -ItemType Directory -Force $Directory
    $port = Get-FreeLoopbackPort
    $log = Join-Path $Directory 'tinyproxy.log'
    $config = Join-Path $Directory 'tinyproxy.conf'
    # No ConnectPort line: CONNECT is allowed to any port (the emulator's is a free one).
    $lines = @("Port $port", 'Listen 127.0.0.1', 'Timeout 60', "LogFile `"$log`"", 'LogLevel Connect', 'MaxClients 100', 'Allow 127.0.0.1', "PidFile `"$(Join-Path $Directory 'tinyproxy.pid')`"")
    if ($User) { $lines += "BasicAuth $User $Password" }
    Set-Content -Path $config -Value $lines
    $info = [Diagnostics.ProcessStartInfo]::new($exe.Source)
    foreach ($a in @('-d', '-c', $config)) { $info.ArgumentList.Add($a) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $process = [Diagnostics.Process]::Start($info)
    $null = $process.StandardOutput.ReadToEndAsync(); $null = $process.StandardError.ReadToEndAsync()
    # Ready when it accepts a connection; it fails the run if it never does.
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    while ($true) {
        if ($process.HasExited) { throw "tinyproxy exited with code $($process.ExitCode) at start; config: $config" }
        $client = [Net.Sockets.TcpClient]::new()
        try { $client.Connect([Net.IPAddress]::Loopback, $port); break } catch { if ([DateTime]::UtcNow -gt $deadline) { $process.Kill(); throw "tinyproxy did not listen on port $port within 20 s." } } finally { $client.Dispose() }
        Start-Sleep -Milliseconds 50
    }
    [pscustomobject]@{ Process = $process; Port = $port; Url = "http://127.0.0.1:$port"; Log = $log }
}

function Stop-TestProxy {
    param($Proxy)
    if ($null -ne $Proxy -and -not $Proxy.Process.HasExited) {
        $Proxy.Process.Kill()
        $null = $Proxy.Process.WaitForExit(5000)
    }
}

function Get-TestProxyRequest {
    <# The requests the proxy received, oldest first: 'CONNECT 127.0.0.1:5001', 'GET http://...'. #>
    param([Parameter(Mandatory)] $Proxy)
    if (-not (Test-Path $Proxy.Log)) { return @() }
    @(Get-Content $Proxy.Log | ForEach-Object { if ($_ -match 'Request \(file descriptor \d+\): (\S+ \S+)') { $Matches[1] } })
}

Export-ModuleMember -Function *

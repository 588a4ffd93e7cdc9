using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MzDeploy.Emulator;

/// <summary>
/// The certificates of an emulator started with <c>--tls</c>: a self-signed certificate authority and a server certificate
/// it signed for <c>localhost</c> and <c>127.0.0.1</c>, kept in <c>&lt;data&gt;/tls/</c> so a client that trusts
/// <c>ca.crt</c> keeps trusting the emulator across restarts on the same data folder. Real Materialize requires TLS;
/// with these, tests connect the way production does (<c>sslmode = verify-full</c>, <c>sslrootcert = …/ca.crt</c>).
/// </summary>
internal sealed class TlsMaterial
{
    private TlsMaterial(string caCertificatePath, X509Certificate2 serverCertificate)
    {
        CaCertificatePath = caCertificatePath;
        ServerCertificate = serverCertificate;
    }

    /// <summary>The authority's certificate (PEM): what a client names as its root certificate.</summary>
    public string CaCertificatePath { get; }

    /// <summary>The server's certificate with its private key.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>Loads the certificates from <c>&lt;dataRoot&gt;/tls/</c>, creating them on first use.</summary>
    public static TlsMaterial LoadOrCreate(string dataRoot)
    {
        var folder = Path.Combine(dataRoot, "tls");
        var caPath = Path.Combine(folder, "ca.crt");
        var certPath = Path.Combine(folder, "server.crt");
        var keyPath = Path.Combine(folder, "server.key");
        if (!File.Exists(caPath) || !File.Exists(certPath) || !File.Exists(keyPath))
        {
            Directory.CreateDirectory(folder);
            Create(caPath, certPath, keyPath);
        }

        using var pem = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        // SslStream on some platforms needs the key in a persisted (not ephemeral) form: a PKCS#12 round trip gives that.
        var server = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
        return new TlsMaterial(caPath, server);
    }

    private static void Create(string caPath, string certPath, string keyPath)
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=MzDeploy emulator CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now, now.AddYears(10));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7f;
        using var server = request.Create(ca, now, now.AddYears(10), serial);

        File.WriteAllText(caPath, ca.ExportCertificatePem());
        File.WriteAllText(certPath, server.ExportCertificatePem());
        File.WriteAllText(keyPath, serverKey.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}

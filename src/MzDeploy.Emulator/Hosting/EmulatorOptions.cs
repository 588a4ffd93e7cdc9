namespace MzDeploy.Emulator;

/// <summary>How to run an emulator.</summary>
/// <param name="DataDirectory">Folder for the PostgreSQL cluster (created when empty, reused otherwise).</param>
/// <param name="Port">TCP port on 127.0.0.1; 0 picks a free one.</param>
/// <param name="PostgresBinDirectory">PostgreSQL 15 bin folder; default MZ_EMULATOR_PG_BIN or /usr/lib/postgresql/15/bin.</param>
/// <param name="Tls">Require TLS, as real Materialize does, with a certificate authority of its own in <c>&lt;data&gt;/tls/ca.crt</c>.</param>
/// <param name="TemplateDirectory">
/// A stopped emulator's data folder whose cluster a data folder without one starts as a copy of, instead of running
/// initdb and the first bootstrap (the private sandbox's fast start).
/// </param>
public sealed record EmulatorOptions(string DataDirectory, int Port = EmulatorOptions.DefaultPort, string? PostgresBinDirectory = null, bool Tls = false,
    string? TemplateDirectory = null)
{
    public const int DefaultPort = 6875;

    /// <summary>The default data folder: one per user under the temp directory.</summary>
    public static string DefaultDataDirectory => Path.Combine(Path.GetTempPath(), "mzdeploy-emulator");
}

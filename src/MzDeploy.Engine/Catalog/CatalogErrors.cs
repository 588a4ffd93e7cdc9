using System.Net.Sockets;
using MzDeploy.Engine.Errors;
using Npgsql;

namespace MzDeploy.Engine.Catalog;

/// <summary>
/// Turns Npgsql failures into <see cref="MzDeployException"/>s: stable ErrorId, SQLSTATE, the server's
/// message and hint. Messages are built from the server's words and MzDeploy's own, never from a
/// connection string, and any occurrence of the password is redacted anyway.
/// </summary>
internal static class CatalogErrors
{
    public static bool IsDatabaseError(Exception e) =>
        e is NpgsqlException or SocketException or TimeoutException or IOException
        || (e is OperationCanceledException && e.InnerException is NpgsqlException or PostgresException);

    public static Exception ConnectFailed(Exception e, CatalogConnectionFactory factory, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException("connecting was cancelled", e, cancellationToken);
        }

        var redact = factory.Redact;
        if (e is PostgresException pg)
        {
            var authentication = pg.SqlState is "28P01" or "28000";
            return new MzDeployException(
                authentication ? ErrorIds.AuthenticationFailed : ErrorIds.ConnectionFailed,
                redact($"cannot connect to {factory.Server} as '{factory.Username}' (profile '{factory.ProfileName}'): {pg.MessageText} (SQLSTATE {pg.SqlState})"),
                factory.ProfileName,
                RequiresTls(pg) ? new Advice($"The server accepts only TLS connections: set sslmode = \"verify-full\" (with sslrootcert, the "
                                             + $"certificate authority that signed the server's certificate) or \"require\" in profile '{factory.ProfileName}'.")
                : authentication ? new CheckCredentials(factory.ProfileName) : Hint(pg),
                e)
            { SqlState = pg.SqlState, Transient = IsTransientState(pg.SqlState) };
        }

        var certificateRejected = IsCertificateRejected(e);
        return new MzDeployException(ErrorIds.ConnectionFailed,
            redact($"cannot connect to {factory.Server} as '{factory.Username}' (profile '{factory.ProfileName}'): {Innermost(e).Message}"),
            factory.ProfileName,
            certificateRejected
                ? new Advice($"The server's certificate is not trusted: set sslrootcert of profile '{factory.ProfileName}' to the certificate "
                             + "authority that signed it (a PEM file), or check that host matches the certificate's name for sslmode verify-full.")
                : new Advice($"Check that the server is running and that host, port and sslmode of profile '{factory.ProfileName}' are right."),
            e)
        // Refused or timed out may pass (a restarting server); an untrusted certificate will not.
        { Transient = !certificateRejected };
    }

    /// <summary>
    /// SQLSTATEs of failures that may pass by themselves: class 08 (connection exception), 57P01–57P03 (the server is
    /// shutting down, crashed or not accepting connections yet).
    /// </summary>
    public static bool IsTransientState(string? sqlState) =>
        sqlState is not null && (sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState is "57P01" or "57P02" or "57P03");

    /// <summary>The server refused a plaintext connection because it requires TLS.</summary>
    private static bool RequiresTls(PostgresException e) =>
        e.MessageText.Contains("TLS", StringComparison.OrdinalIgnoreCase) || e.MessageText.Contains("SSL", StringComparison.OrdinalIgnoreCase);

    /// <summary>The TLS handshake failed on the server's certificate (untrusted authority, wrong name, expired).</summary>
    private static bool IsCertificateRejected(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is System.Security.Authentication.AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A statement the server refused or the connection lost. The message is the server's (or the network's) words and
    /// <paramref name="context"/>: what a plan's statement does (<c>at TrackingRows …</c>) or, for a statement about the
    /// user's own objects, the statement itself (<c>in: CREATE VIEW …</c>). MzDeploy's own SQL (catalog reads, tracking
    /// writes) is never in the message: it goes only into <see cref="MzDeployException.Statement"/>.
    /// </summary>
    public static Exception StatementFailed(Exception e, string sql, Func<string, string> redact, CancellationToken cancellationToken,
        string? context = null)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException("the statement was cancelled", e, cancellationToken);
        }

        var at = context is null ? "" : $" {context}";
        if (e is PostgresException pg)
        {
            var denied = pg.SqlState == "42501";
            return new MzDeployException(
                denied ? ErrorIds.SqlPermissionDenied : ErrorIds.SqlStatementFailed,
                redact($"{pg.MessageText} (SQLSTATE {pg.SqlState}){at}"),
                null,
                Hint(pg),
                e)
            { SqlState = pg.SqlState, Statement = redact(sql), Transient = IsTransientState(pg.SqlState) };
        }

        return new MzDeployException(ErrorIds.ConnectionFailed,
            redact($"the connection to the server failed: {Innermost(e).Message}{at}"),
            null, CheckNetwork, e)
        { Statement = redact(sql), Transient = true };
    }

    /// <summary>
    /// The same error without the driver's exception behind it, for a statement that carried a secret: that exception
    /// holds the statement as sent, and whatever prints an error's causes would print it.
    /// </summary>
    public static Exception WithoutCause(Exception e) => e switch
    {
        MzDeployException m => new MzDeployException(m.Error, m.Message, m.Target, m.Remedy)
        { SqlState = m.SqlState, Statement = m.Statement, Transient = m.Transient },
        OperationCanceledException c => new OperationCanceledException(c.Message, c.CancellationToken),
        _ => e,
    };

    /// <summary>A statement not even sent: an earlier failure already broke or closed the session.</summary>
    public static MzDeployException SessionLost(string sql) =>
        new(ErrorIds.ConnectionFailed, "the connection to the server was lost", null, CheckNetwork)
        { Statement = sql, Transient = true };

    /// <summary>The statement on one line, cut at 160 characters, for messages.</summary>
    public static string Summarize(string sql)
    {
        var line = string.Join(' ', sql.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 160 ? line : line[..157] + "...";
    }

    private static readonly Advice CheckNetwork = new("Check the network and the server, then run the command again.");

    /// <summary>The server's own hint: advice in SQL terms, never naming an MzDeploy command.</summary>
    private static Advice? Hint(PostgresException e) =>
        string.IsNullOrWhiteSpace(e.Hint) ? null : new Advice(e.Hint);

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null && e is not PostgresException)
        {
            e = e.InnerException;
        }

        return e;
    }
}

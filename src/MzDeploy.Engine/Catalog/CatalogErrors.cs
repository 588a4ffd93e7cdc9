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
            { SqlState = pg.SqlState };
        }

        return new MzDeployException(ErrorIds.ConnectionFailed,
            redact($"cannot connect to {factory.Server} as '{factory.Username}' (profile '{factory.ProfileName}'): {Innermost(e).Message}"),
            factory.ProfileName,
            IsCertificateRejected(e)
                ? new Advice($"The server's certificate is not trusted: set sslrootcert of profile '{factory.ProfileName}' to the certificate "
                             + "authority that signed it (a PEM file), or check that host matches the certificate's name for sslmode verify-full.")
                : new Advice($"Check that the server is running and that host, port and sslmode of profile '{factory.ProfileName}' are right."),
            e);
    }

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

    public static Exception StatementFailed(Exception e, string sql, Func<string, string> redact, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException("the statement was cancelled", e, cancellationToken);
        }

        if (e is PostgresException pg)
        {
            var denied = pg.SqlState == "42501";
            return new MzDeployException(
                denied ? ErrorIds.SqlPermissionDenied : ErrorIds.SqlStatementFailed,
                redact($"{pg.MessageText} (SQLSTATE {pg.SqlState}) in: {Summarize(sql)}"),
                null,
                Hint(pg),
                e)
            { SqlState = pg.SqlState };
        }

        return new MzDeployException(ErrorIds.ConnectionFailed,
            redact($"the connection failed while running: {Summarize(sql)}: {Innermost(e).Message}"),
            null, CheckNetwork, e);
    }

    /// <summary>
    /// The same error without the driver's exception behind it, for a statement that carried a secret: that exception
    /// holds the statement as sent, and whatever prints an error's causes would print it.
    /// </summary>
    public static Exception WithoutCause(Exception e) => e switch
    {
        MzDeployException m => new MzDeployException(m.Error, m.Message, m.Target, m.Remedy) { SqlState = m.SqlState },
        OperationCanceledException c => new OperationCanceledException(c.Message, c.CancellationToken),
        _ => e,
    };

    /// <summary>A statement not even sent: an earlier failure already broke or closed the session.</summary>
    public static MzDeployException SessionLost(string sql) =>
        new(ErrorIds.ConnectionFailed,
            $"the connection was lost before running: {Summarize(sql)}",
            null, CheckNetwork);

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

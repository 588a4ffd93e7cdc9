using System.Net.Sockets;
using Npgsql;

namespace MzDeploy.Engine.Catalog;

/// <summary>
/// Turns Npgsql failures into <see cref="MzDeployException"/>s: stable ErrorId, SQLSTATE, the server's
/// message and hint. Messages are built from the server's words and MzDeploy's own, never from a
/// connection string, and any occurrence of the password is redacted anyway.
/// </summary>
internal static class CatalogErrors
{
    /// <summary>ErrorId of a statement the server rejected.</summary>
    public const string StatementFailedId = "SqlStatementFailed";

    /// <summary>ErrorId of a statement the server rejected for missing privileges (SQLSTATE 42501).</summary>
    public const string PermissionDeniedId = "SqlPermissionDenied";

    /// <summary>ErrorId when no session could be opened (network, TLS, server down).</summary>
    public const string ConnectionFailedId = "ConnectionFailed";

    /// <summary>ErrorId when the server rejected the user or password.</summary>
    public const string AuthenticationFailedId = "AuthenticationFailed";

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
                authentication ? AuthenticationFailedId : ConnectionFailedId,
                authentication ? ErrorKind.PermissionDenied : ErrorKind.ConnectionError,
                redact($"cannot connect to {factory.Server} as '{factory.Username}' (profile '{factory.ProfileName}'): {pg.MessageText} (SQLSTATE {pg.SqlState})"),
                factory.ProfileName,
                authentication
                    ? $"Check the user and password of profile '{factory.ProfileName}' (or pass -Credential)."
                    : Hint(pg),
                e)
            { SqlState = pg.SqlState };
        }

        return new MzDeployException(ConnectionFailedId, ErrorKind.ConnectionError,
            redact($"cannot connect to {factory.Server} as '{factory.Username}' (profile '{factory.ProfileName}'): {Innermost(e).Message}"),
            factory.ProfileName,
            $"Check that the server is running and that host, port and sslmode of profile '{factory.ProfileName}' are right.",
            e);
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
                denied ? PermissionDeniedId : StatementFailedId,
                denied ? ErrorKind.PermissionDenied : ErrorKind.InvalidOperation,
                redact($"{pg.MessageText} (SQLSTATE {pg.SqlState}) in: {Summarize(sql)}"),
                null,
                Hint(pg),
                e)
            { SqlState = pg.SqlState };
        }

        return new MzDeployException(ConnectionFailedId, ErrorKind.ConnectionError,
            redact($"the connection failed while running: {Summarize(sql)}: {Innermost(e).Message}"),
            null, "Check the network and the server, then run the command again.", e);
    }

    /// <summary>A statement not even sent: an earlier failure already broke or closed the session.</summary>
    public static MzDeployException SessionLost(string sql) =>
        new(ConnectionFailedId, ErrorKind.ConnectionError,
            $"the connection was lost before running: {Summarize(sql)}",
            null, "Check the network and the server, then run the command again.");

    /// <summary>The statement on one line, cut at 160 characters, for messages.</summary>
    public static string Summarize(string sql)
    {
        var line = string.Join(' ', sql.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 160 ? line : line[..157] + "...";
    }

    private static string? Hint(PostgresException e) =>
        string.IsNullOrWhiteSpace(e.Hint) ? null : e.Hint;

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null && e is not PostgresException)
        {
            e = e.InnerException;
        }

        return e;
    }
}

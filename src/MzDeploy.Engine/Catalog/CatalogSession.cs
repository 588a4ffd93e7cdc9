using System.Data.Common;
using System.Text;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Project;
using Npgsql;

namespace MzDeploy.Engine.Catalog;

/// <summary>
/// One open session and the small executor every catalog read and write goes through: one statement per
/// round trip (Materialize rejects DDL in multi-statement implicit transactions), bind parameters for
/// values, cancellation through the token (Npgsql sends the server a cancel request), and server errors
/// turned into <see cref="MzDeployException"/> with SQLSTATE and the server's message — never the
/// connection string. Not thread-safe: one operation uses one session at a time.
/// </summary>
public sealed class CatalogSession : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlConnection _connection;
    private readonly IStatementRecorder? _recorder;
    private readonly Func<string, string> _redact;

    internal CatalogSession(NpgsqlDataSource dataSource, NpgsqlConnection connection, IStatementRecorder? recorder,
        Func<string, string> redact)
    {
        _dataSource = dataSource;
        _connection = connection;
        _recorder = recorder;
        _redact = redact;
    }

    /// <summary>The server's id for this session (<c>pg_backend_pid()</c>), for correlating server-side logs.</summary>
    public int ProcessId => _connection.ProcessID;

    /// <summary>
    /// Runs one planned statement (with its bind parameters): the executor every operation's plan goes through. A failure
    /// quotes a statement about the user's objects (as the preview shows it), and names only the step of MzDeploy's own
    /// bookkeeping.
    /// </summary>
    public Task<int> ExecuteAsync(PlannedStatement statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var context = statement.IsBookkeeping ? $"at {statement.Kind} {statement.Target}" : $"in: {CatalogErrors.Summarize(statement.Sql)}";
        return ExecuteAsync(statement.Sql, context, cancellationToken, [.. statement.Parameters]);
    }

    /// <summary>
    /// Runs one statement that changes the database (DDL, GRANT, INSERT, …) and records it. Returns the affected row
    /// count.
    /// </summary>
    public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] parameters) =>
        ExecuteAsync(sql, null, cancellationToken, parameters);

    private async Task<int> ExecuteAsync(string sql, string? context, CancellationToken cancellationToken, object?[] parameters)
    {
        _recorder?.Record(parameters.Length == 0 ? sql : sql + PlannedStatement.DescribeParameters(parameters), executed: true);
        EnsureOpen(sql);
        await using var command = Command(sql, parameters);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (CatalogErrors.IsDatabaseError(e))
        {
            throw CatalogErrors.StatementFailed(e, sql, _redact, cancellationToken, context);
        }
    }

    /// <summary>
    /// Runs one statement that carries a secret value (a secret's value, a role's password): <paramref name="secretSql"/>
    /// is what is sent; <paramref name="maskedSql"/> is all that is recorded and all that an error shows. A failure
    /// keeps the server's SQLSTATE but not the driver's exception, which holds the statement sent, and the server's
    /// message is cleared of the value too (a syntax error quotes the text near it).
    /// </summary>
    public async Task<int> ExecuteSecretAsync(string maskedSql, SecretString secretSql, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(maskedSql);
        ArgumentNullException.ThrowIfNull(secretSql);
        _recorder?.Record(maskedSql, executed: true);
        EnsureOpen(maskedSql);
        var sql = secretSql.Reveal();
        await using var command = Command(sql, []);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (CatalogErrors.IsDatabaseError(e))
        {
            var hide = SecretMask.Redactor(maskedSql, sql);
            throw CatalogErrors.WithoutCause(CatalogErrors.StatementFailed(e, maskedSql, text => hide(_redact(text)), cancellationToken,
                $"in: {CatalogErrors.Summarize(maskedSql)}"));
        }
    }

    /// <summary>
    /// Runs <paramref name="statements"/> between <c>BEGIN</c> and <c>COMMIT</c>, one per round trip (Materialize allows
    /// only SWAP and RENAME DDL in a transaction). All of them take effect or none: on any failure the transaction is
    /// rolled back (best effort: the session may be gone) and the error rethrown. In a dry run everything, BEGIN and
    /// COMMIT included, is only recorded.
    /// </summary>
    public async Task ExecuteTransactionAsync(IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        await ExecuteAsync("BEGIN", cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var statement in statements)
            {
                await ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
            }

            await ExecuteAsync("COMMIT", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MzDeployException or OperationCanceledException)
        {
            await RollbackQuietlyAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Npgsql answers a statement on a broken session with InvalidOperationException ("Connection is not open"): say
    // what it means instead, with the error ID every other lost connection has.
    private void EnsureOpen(string sql)
    {
        if (_connection.FullState is System.Data.ConnectionState.Closed or System.Data.ConnectionState.Broken)
        {
            throw CatalogErrors.SessionLost(sql);
        }
    }

    private async Task RollbackQuietlyAsync()
    {
        if (_connection.FullState != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            // Not the caller's token: a cancelled transaction must still be ended.
            await using var command = new NpgsqlCommand("ROLLBACK", _connection);
            await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            _recorder?.Record("ROLLBACK", executed: true);
        }
        catch (Exception e) when (CatalogErrors.IsDatabaseError(e))
        {
            // The session is gone, and with it the transaction.
        }
    }

    /// <summary>Runs one read and maps every row. Reads run in dry runs too (plans depend on them).</summary>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken,
        params object?[] parameters)
    {
        EnsureOpen(sql);
        await using var command = Command(sql, parameters);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(map(reader));
            }

            return rows;
        }
        catch (Exception e) when (CatalogErrors.IsDatabaseError(e))
        {
            throw CatalogErrors.StatementFailed(e, sql, _redact, cancellationToken);
        }
    }

    /// <summary>Runs a read that returns exactly one row.</summary>
    public async Task<T> QuerySingleAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken,
        params object?[] parameters)
    {
        var rows = await QueryAsync(sql, map, cancellationToken, parameters).ConfigureAwait(false);
        return rows.Count == 1
            ? rows[0]
            : throw new MzDeployException(ErrorIds.UnexpectedCatalogResult,
                $"a catalog read returned {rows.Count} rows where it expects exactly one")
            { Statement = sql };
    }

    /// <summary>
    /// A list as ONE text bind parameter holding a PostgreSQL array literal, for <c>$n::text::text[]</c>:
    /// Materialize's pgwire cannot decode array-typed bind parameters. Every element is double-quoted with
    /// <c>"</c> and <c>\</c> backslash-escaped, so any text round-trips.
    /// </summary>
    public static string TextArray(IEnumerable<string> values)
    {
        var text = new StringBuilder("{");
        foreach (var value in values)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }

            text.Append('"');
            foreach (var c in value)
            {
                if (c is '"' or '\\')
                {
                    text.Append('\\');
                }

                text.Append(c);
            }

            text.Append('"');
        }

        return text.Append('}').ToString();
    }

    private NpgsqlCommand Command(string sql, object?[] parameters)
    {
        var command = new NpgsqlCommand(sql, _connection);
        foreach (var parameter in parameters)
        {
            // A deploy ID binds as its text (Npgsql knows no such type).
            command.Parameters.Add(new NpgsqlParameter { Value = parameter is DeployId id ? id.Value : parameter ?? DBNull.Value });
        }

        return command;
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}

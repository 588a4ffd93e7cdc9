using System.Data.Common;
using MzDeploy.Engine.Testing;
using Npgsql;

namespace MzDeploy.Engine.Catalog;

/// <summary>
/// The session one unit test runs in: a connection of its own, so the test's temporary views vanish when it closes
/// (mz-deploy: a fresh connection per test). Statements run one per round trip; a server failure becomes an
/// <see cref="Errors.MzDeployException"/> quoting the statement (the user's own SQL, rewritten), never a password.
/// </summary>
internal sealed class UnitTestSession(NpgsqlConnection connection) : IAsyncDisposable
{
    public async Task ExecuteAsync(UnitTestStep step, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(step.Sql, connection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (CatalogErrors.IsDatabaseError(e))
        {
            throw Failed(e, step, cancellationToken);
        }
    }

    /// <summary>The columns a query returns (names and the server's type names), read from its row description.</summary>
    public async Task<IReadOnlyList<UnitTestColumn>> DescribeAsync(UnitTestStep step, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(step.Sql, connection);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var schema = await reader.GetColumnSchemaAsync(cancellationToken).ConfigureAwait(false);
            return schema.Select(c => new UnitTestColumn(c.ColumnName, c.DataTypeName ?? "unknown")).ToList();
        }
        catch (Exception e) when (CatalogErrors.IsDatabaseError(e))
        {
            throw Failed(e, step, cancellationToken);
        }
    }

    /// <summary>Every row of a query whose columns are all text.</summary>
    public async Task<IReadOnlyList<string?[]>> TextRowsAsync(UnitTestStep step, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(step.Sql, connection);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<string?[]>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(Row(reader));
            }

            return rows;
        }
        catch (Exception e) when (CatalogErrors.IsDatabaseError(e))
        {
            throw Failed(e, step, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    private static string?[] Row(DbDataReader reader)
    {
        var row = new string?[reader.FieldCount];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
        }

        return row;
    }

    // The statement is the user's own SQL (mocks, their view's query): an error may quote it.
    private static Exception Failed(Exception e, UnitTestStep step, CancellationToken cancellationToken) =>
        CatalogErrors.StatementFailed(e, step.Sql, text => text, cancellationToken, $"in: {CatalogErrors.Summarize(step.Sql)}");
}

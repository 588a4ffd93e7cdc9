namespace MzDeploy.Engine.Catalog;

/// <summary>Receives every statement that changes the database, in execution order (or that would, in a dry run).</summary>
public interface IStatementRecorder
{
    /// <param name="sql">The exact statement text.</param>
    /// <param name="executed">False when the statement was only planned (a dry run or preview).</param>
    void Record(string sql, bool executed);
}

/// <summary>A recorder that keeps the statements in a list.</summary>
internal sealed class StatementLog : IStatementRecorder
{
    private readonly List<string> _statements = [];

    /// <summary>The statements recorded, in order.</summary>
    public IReadOnlyList<string> Statements => _statements;

    public void Record(string sql, bool executed) => _statements.Add(sql);
}

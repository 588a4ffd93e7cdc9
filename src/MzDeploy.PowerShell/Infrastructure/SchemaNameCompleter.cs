using MzDeploy.Engine.Operations;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// Tab completion for <c>-RedeploySchema</c>: the project's schemas as <c>database.schema</c> (quoted where SQL needs
/// it, so the value parses back).
/// </summary>
public sealed class SchemaNameCompleter : ProjectNameCompleter
{
    private protected override IEnumerable<(string Text, string Tooltip)> Candidates(ProjectNames names) =>
        names.Schemas.Select(s => (s.ToSql(), $"schema {s}"));
}

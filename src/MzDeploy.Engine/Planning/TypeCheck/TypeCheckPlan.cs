using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning.TypeCheck;

/// <summary>
/// One project object as a type check creates it in the scratch databases: the exact statement sent, and how positions in
/// it map back to the object's file (so a server error lands on the user's line and column).
/// </summary>
/// <param name="Object">The project object.</param>
/// <param name="ScratchName">Its name in the scratch databases.</param>
/// <param name="Sql">The statement sent.</param>
/// <param name="Positions">Offsets in <paramref name="Sql"/> → offsets in the primary statement's text.</param>
internal sealed record TypeCheckStep(CompiledObject Object, ObjectId ScratchName, string Sql, PositionMap Positions)
{
    /// <summary>Where 0-based <paramref name="offset"/> of <see cref="Sql"/> was written in the object's file.</summary>
    public SourceLocation Locate(int offset)
    {
        var inStatement = Math.Clamp(Positions.ToOriginal(offset), 0, Object.Statement.Span.Length);
        return Object.Source.Locate(new TextSpan(Object.Statement.Span.Start + inStatement, 0));
    }
}

/// <summary>
/// What a type check runs in a sandbox: scratch databases named <c>&lt;database&gt;_tc_&lt;random&gt;</c> (one per project and
/// dependency database), the external dependencies as empty tables with types.lock's columns, then each object in
/// dependency order; the scratch databases are dropped afterwards whatever happened.
/// </summary>
/// <param name="Setup">Databases, schemas and dependency tables, in order.</param>
/// <param name="Steps">The objects to create, in dependency order.</param>
/// <param name="Cleanup">Drops of every scratch database (IF EXISTS, CASCADE: nothing else lives there).</param>
/// <param name="Diagnostics">Problems found while planning (a dependency types.lock lacks).</param>
/// <param name="Skipped">Objects that cannot be checked here, with why (warnings, never errors).</param>
internal sealed record TypeCheckPlan(
    IReadOnlyList<PlannedStatement> Setup,
    IReadOnlyList<TypeCheckStep> Steps,
    IReadOnlyList<PlannedStatement> Cleanup,
    IReadOnlyList<Diagnostic> Diagnostics,
    IReadOnlyList<(CompiledObject Object, string Reason)> Skipped)
{
    /// <summary>The scratch databases, for reading columns back.</summary>
    public required IReadOnlyList<string> ScratchDatabases { get; init; }
}

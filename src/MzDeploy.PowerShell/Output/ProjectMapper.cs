using MzDeploy.Engine;
using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Operations;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy;

/// <summary>Turns the engine's compiled project into the public output types (engine types never reach the pipeline).</summary>
internal static class ProjectMapper
{
    public static MzProject ToOutput(CompiledProject project) => ToOutput(project, null);

    /// <summary>The project with a type check's findings: its errors after the compiler's, its columns on each object.</summary>
    public static MzProject ToOutput(CompiledProject project, TypeCheckResult? typeCheck) =>
        new(project.Root, project.Profile,
            project.Objects.Select(o => ToOutput(o, typeCheck)).ToList(),
            project.Diagnostics.Concat(typeCheck?.Errors ?? []).Select(ToOutput).ToList());

    private static MzProjectObject ToOutput(CompiledObject o, TypeCheckResult? typeCheck) =>
        new(o.Id.Database, o.Id.Schema, o.Id.Name, (MzObjectKind)(int)o.Kind, o.Cluster,
            o.Source.File.RelativePath, o.Location.Line,
            o.DependsOn.Select(d => d.ToString()).ToList(), o.Hash,
            o.Constraints.Select(c => c.ToString()).ToList(), o.Constraint?.On.ToString(),
            typeCheck is not null && typeCheck.Columns.TryGetValue(o.Id, out var columns)
                ? columns.Select(c => new MzColumn(c.Name, c.Type, c.Nullable)).ToList()
                : null);

    public static MzCompileError ToOutput(Diagnostic d) =>
        new(d.ErrorId, d.Message, d.Location?.File, d.Location?.Line ?? 0, d.Location?.Column ?? 0, d.Target,
            d.Remedy is null ? null : RemedyText.Render(d.Remedy));
}

using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Project;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Compile;

/// <summary>
/// Substitutes the profile's variables into each project file and parses it. Every variant of every file
/// is parsed, so a broken <c>name#production.sql</c> fails compilation under any profile; only the files
/// selected for the active profile must have all their variables defined.
/// </summary>
internal static class SourceLoader
{
    public static IReadOnlyList<SourceFile> Load(ProjectLayout layout, ProjectConfig config, string? profile,
        List<Diagnostic> diagnostics)
    {
        var selected = layout.Files.ToHashSet();
        var files = layout.AllFiles;
        var results = new (SourceFile? Source, SqlScript? Script, List<Diagnostic> Diagnostics)[files.Count];

        // Files are independent, so they are substituted and parsed in parallel; results keep file order
        // so diagnostics and objects come out the same on every run.
        Parallel.For(0, files.Count, i => results[i] = LoadOne(files[i], selected.Contains(files[i]), config, profile));

        var loaded = new List<SourceFile>();
        var variants = new List<(ProjectFile File, SqlScript Script)>();
        for (var i = 0; i < files.Count; i++)
        {
            diagnostics.AddRange(results[i].Diagnostics);
            if (results[i].Script is { } script)
            {
                variants.Add((files[i], script));
            }

            if (results[i].Source is { } source)
            {
                loaded.Add(source);
            }
        }

        CheckOverrides(variants, diagnostics);
        return loaded;
    }

    private static (SourceFile?, SqlScript?, List<Diagnostic>) LoadOne(ProjectFile file, bool isSelected,
        ProjectConfig config, string? profile)
    {
        var diagnostics = new List<Diagnostic>();

        // A variant is checked with its own profile's variables; a base file with the active profile's.
        var variablesProfile = file.Profile ?? profile;
        var substitution = VariableSubstitutor.Substitute(file.Text, config.GetVariables(variablesProfile));
        if (!substitution.Succeeded)
        {
            // With -- PRAGMA WARN_ON_MISSING_VARIABLES the file says its undefined :names are SQL (the list
            // slice arr[:b]): they stay as written, are warnings, and the text is parsed as usual.
            var warnOnly = FilePragmas.WarnsOnMissingVariables(file.Text);
            if (isSelected || file.Profile is not null)
            {
                var lines = new LineMap(file.Text);
                foreach (var undefined in substitution.Undefined)
                {
                    diagnostics.Add(warnOnly
                        ? MissingVariableWarning(file, lines, undefined, variablesProfile)
                        : UndefinedVariable(file, lines, undefined, variablesProfile));
                }
            }

            if (!warnOnly)
            {
                // Parsing text that still holds variables would only add noise to the report.
                return (null, null, diagnostics);
            }
        }

        var script = SqlParser.Parse(substitution.Text);
        var source = new SourceFile(file, substitution.Text, script, substitution.Positions);
        foreach (var error in script.Errors)
        {
            // Located in the file as written, not in the substituted text.
            diagnostics.Add(new Diagnostic(ErrorIds.SqlSyntaxError.Id, error.Message, source.Locate(error.Span), file.RelativePath));
        }

        return (isSelected ? source : null, script, diagnostics);
    }

    // mz-deploy's override rules: every variant of an object creates the same kind of thing, and views and
    // materialized views take no overrides at all (their differences belong in variables, so the object's
    // definition stays one reviewable file).
    private static void CheckOverrides(List<(ProjectFile File, SqlScript Script)> files, List<Diagnostic> diagnostics)
    {
        var overridden = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (file, _) in files)
        {
            if (file.Kind == ProjectFileKind.Object && file.IsProfileVariant)
            {
                overridden.Add(file.QualifiedName);
            }
        }

        if (overridden.Count == 0)
        {
            return; // most projects have no overrides: no need to group every file by name
        }

        var groups = files
            .Where(f => f.File.Kind == ProjectFileKind.Object && overridden.Contains(f.File.QualifiedName))
            .GroupBy(f => f.File.QualifiedName, StringComparer.Ordinal)
            .Where(g => g.Any(f => f.File.IsProfileVariant));
        foreach (var group in groups)
        {
            var kinds = group
                .Select(f => (f.File, Kind: f.Script.Statements.Select(s => ObjectKinds.FromStatement(s.Kind)).FirstOrDefault(k => k is not null)))
                .Where(f => f.Kind is not null)
                .ToList();
            if (kinds.Count == 0)
            {
                continue;
            }

            var variant = kinds.FirstOrDefault(k => k.File.IsProfileVariant);
            if (kinds.Any(k => k.Kind is ObjectKind.View or ObjectKind.MaterializedView) && variant.File is not null)
            {
                diagnostics.Add(new Diagnostic(ErrorIds.OverrideNotAllowed.Id,
                    $"{variant.File.RelativePath} overrides {group.Key} for profile '{variant.File.Profile}', but views and materialized views cannot have profile overrides",
                    new SourceLocation(variant.File.RelativePath, 1, 1), group.Key,
                    new Advice("Use profile variables (:name) for what differs between profiles.")));
                continue;
            }

            var first = kinds[0];
            foreach (var other in kinds.Skip(1).Where(k => k.Kind != first.Kind))
            {
                diagnostics.Add(new Diagnostic(ErrorIds.OverrideNotAllowed.Id,
                    $"{other.File.RelativePath} creates a {other.Kind!.Value.Describe()} but {first.File.RelativePath} creates a {first.Kind!.Value.Describe()}: every variant of {group.Key} must create the same kind of object",
                    new SourceLocation(other.File.RelativePath, 1, 1), group.Key));
            }
        }
    }

    private static Diagnostic UndefinedVariable(ProjectFile file, LineMap lines, UndefinedVariable undefined, string? profile)
    {
        var where = lines.ToLocation(file.RelativePath, undefined.Span.Start);
        return profile is null
            ? new Diagnostic(ErrorIds.UndefinedVariable.Id,
                $"variable :{undefined.Name} is used but no profile is selected, so no variables are defined",
                where, undefined.Name,
                new SelectProfile())
            : new Diagnostic(ErrorIds.UndefinedVariable.Id,
                $"variable :{undefined.Name} is not defined for profile '{profile}'",
                where, undefined.Name,
                new Advice($"Define it in project.toml under [{profile}.variables], e.g. {undefined.Name} = \"...\"."));
    }

    private static Diagnostic MissingVariableWarning(ProjectFile file, LineMap lines, UndefinedVariable undefined, string? profile) =>
        new(ErrorIds.UndefinedVariable.Id,
            $"variable :{undefined.Name} is not defined{(profile is null ? " (no profile is selected)" : $" for profile '{profile}'")}; left as written, as the file's PRAGMA WARN_ON_MISSING_VARIABLES asks",
            lines.ToLocation(file.RelativePath, undefined.Span.Start), undefined.Name)
        {
            Severity = DiagnosticSeverity.Warning,
        };
}

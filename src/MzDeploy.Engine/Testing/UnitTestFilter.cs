using System.Text.RegularExpressions;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Testing;

/// <summary>
/// mz-deploy's test filter, <c>database.schema.object#test</c>: omitted trailing parts match anything
/// (<c>materialize.public</c> is every test of that schema, <c>materialize.public.v</c> every test of <c>v</c>), and
/// <c>*</c> (any run of characters) and <c>?</c> (one character) are wildcards within a part
/// (<c>materialize.*</c>, <c>materialize.public.v#t*</c>). Parts compare case-insensitively, as PowerShell's
/// wildcards do; Materialize names that differ only by case are too rare to be worth a surprise.
/// </summary>
public sealed class UnitTestFilter
{
    private readonly Regex?[] _objectParts;
    private readonly Regex? _test;

    private UnitTestFilter(string text, Regex?[] objectParts, Regex? test)
    {
        Text = text;
        _objectParts = objectParts;
        _test = test;
    }

    /// <summary>The filter as the user wrote it.</summary>
    public string Text { get; }

    /// <summary>
    /// Parses <paramref name="text"/>; <c>InvalidUnitTestFilter</c> for more than three name parts, an empty part, or more
    /// than one <c>#</c>.
    /// </summary>
    public static UnitTestFilter Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var hash = trimmed.Split('#');
        if (trimmed.Length == 0 || hash.Length > 2)
        {
            throw Invalid(text, "expected database.schema.object#test (trailing parts may be left out)");
        }

        var objectText = hash[0];
        var parts = objectText.Length == 0 ? [] : objectText.Split('.');
        if (parts.Length > 3 || parts.Any(p => p.Length == 0))
        {
            throw Invalid(text, "the object part has at most three non-empty names: database.schema.object");
        }

        var objectParts = new Regex?[3];
        for (var i = 0; i < parts.Length; i++)
        {
            objectParts[i] = Pattern(parts[i]);
        }

        Regex? test = null;
        if (hash.Length == 2)
        {
            if (hash[1].Length == 0)
            {
                throw Invalid(text, "a test name follows '#'");
            }

            test = Pattern(hash[1]);
        }

        return new UnitTestFilter(text, objectParts, test);
    }

    /// <summary>Whether the test <paramref name="testName"/> of <paramref name="target"/> is selected.</summary>
    public bool Matches(ObjectId target, string testName) =>
        Part(_objectParts[0], target.Database) && Part(_objectParts[1], target.Schema) && Part(_objectParts[2], target.Name)
        && Part(_test, testName);

    public override string ToString() => Text;

    private static bool Part(Regex? pattern, string value) => pattern is null || pattern.IsMatch(value);

    private static Regex Pattern(string glob) =>
        new("^" + Regex.Escape(glob).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);

    private static MzDeployException Invalid(string text, string why) =>
        new(ErrorIds.InvalidUnitTestFilter, $"'{text}' is not a unit test filter: {why}", text,
            new Advice("Write the filter as database.schema.object#test, e.g. materialize.public.my_view#my_test or materialize.public.*."));
}

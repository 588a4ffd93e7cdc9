using System.Management.Automation;
using MzDeploy.Engine.Testing;

namespace MzDeploy;

/// <summary>Engine unit test results → <see cref="MzUnitTestResult"/>, rows as PSCustomObjects named by the test's columns.</summary>
internal static class UnitTestMapper
{
    public static MzUnitTestResult ToOutput(UnitTestResult result)
    {
        var columns = result.Columns.Select(c => c.Name).ToArray();
        return new MzUnitTestResult(result.Name, result.Target.ToString(), Status(result.Status), columns,
            Rows(columns, result.Missing), Rows(columns, result.Unexpected), result.Message, result.Location.File,
            result.Location.Line, result.Duration);
    }

    private static MzUnitTestStatus Status(UnitTestStatus status) => status switch
    {
        UnitTestStatus.Passed => MzUnitTestStatus.Passed,
        UnitTestStatus.Failed => MzUnitTestStatus.Failed,
        _ => MzUnitTestStatus.Invalid,
    };

    private static PSObject[] Rows(string[] columns, IReadOnlyList<IReadOnlyList<string?>> rows) =>
        rows.Select(row =>
        {
            // A PSObject without a base object is a PSCustomObject: Format-Table shows its note properties as columns.
            var item = new PSObject();
            for (var i = 0; i < columns.Length; i++)
            {
                item.Properties.Add(new PSNoteProperty(columns[i], row[i]));
            }

            return item;
        }).ToArray();
}

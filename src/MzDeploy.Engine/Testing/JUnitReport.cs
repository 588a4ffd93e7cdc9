using System.Globalization;
using System.Text;
using System.Xml;
using MzDeploy.Engine.Errors;

namespace MzDeploy.Engine.Testing;

/// <summary>
/// Unit test results as a JUnit XML report, the format the test reporters of GitHub Actions and Azure DevOps read:
/// one <c>testsuite</c> per tested object (mz-deploy's layout), one <c>testcase</c> per test (classname the object,
/// file and line of the test); a failed test has a <c>failure</c> whose text lists the missing and unexpected rows as
/// <c>column=value</c>, an invalid one an <c>error</c> with each problem. Times are seconds.
/// </summary>
public static class JUnitReport
{
    /// <summary>
    /// Writes the report to <paramref name="path"/> (UTF-8, replaced if it exists; its folder is created);
    /// <c>UnitTestReportNotWritten</c> when the file cannot be written.
    /// </summary>
    public static void Write(string path, IReadOnlyList<UnitTestResult> results, DateTimeOffset startedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(results);
        try
        {
            WriteFile(path, results, startedAt);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MzDeployException(ErrorIds.UnitTestReportNotWritten, $"the JUnit report {path} could not be written: {e.Message}", path,
                new Advice("Choose a path in a folder that exists or can be created, and that you may write to."), e);
        }
    }

    private static void WriteFile(string path, IReadOnlyList<UnitTestResult> results, DateTimeOffset startedAt)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        using var stream = File.Create(path);
        using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) });
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", "mzdeploy unit tests");
        Counts(xml, results);
        foreach (var suite in results.GroupBy(r => r.Target.ToString(), StringComparer.Ordinal))
        {
            var tests = suite.ToList();
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", suite.Key);
            Counts(xml, tests);
            xml.WriteAttributeString("timestamp", startedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            foreach (var test in tests)
            {
                TestCase(xml, test);
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void Counts(XmlWriter xml, IReadOnlyCollection<UnitTestResult> results)
    {
        xml.WriteAttributeString("tests", Number(results.Count));
        xml.WriteAttributeString("failures", Number(results.Count(r => r.Status == UnitTestStatus.Failed)));
        xml.WriteAttributeString("errors", Number(results.Count(r => r.Status == UnitTestStatus.Invalid)));
        xml.WriteAttributeString("skipped", "0");
        xml.WriteAttributeString("time", Seconds(results.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Duration)));
    }

    private static void TestCase(XmlWriter xml, UnitTestResult test)
    {
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("name", test.Name);
        xml.WriteAttributeString("classname", test.Target.ToString());
        xml.WriteAttributeString("file", test.Location.File);
        xml.WriteAttributeString("line", Number(test.Location.Line));
        xml.WriteAttributeString("time", Seconds(test.Duration));
        if (test.Status != UnitTestStatus.Passed)
        {
            xml.WriteStartElement(test.Status == UnitTestStatus.Invalid ? "error" : "failure");
            xml.WriteAttributeString("message", test.Message);
            xml.WriteAttributeString("type", test.Status == UnitTestStatus.Invalid ? "UnitTestInvalid" : "UnitTestFailed");
            xml.WriteString(Details(test));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    /// <summary>The rows (mz-deploy: <c>column=value</c>), the server's error, or the problems, one per line.</summary>
    internal static string Details(UnitTestResult test)
    {
        var text = new StringBuilder();
        if (test.Status == UnitTestStatus.Invalid)
        {
            foreach (var problem in test.Problems)
            {
                text.AppendLine(problem.ToString());
            }
        }
        else if (test.Error is not null)
        {
            text.AppendLine(test.Error);
        }

        Rows(text, "missing", test.Columns, test.Missing);
        Rows(text, "unexpected", test.Columns, test.Unexpected);
        return text.ToString();
    }

    private static void Rows(StringBuilder text, string label, IReadOnlyList<UnitTestColumn> columns, IReadOnlyList<IReadOnlyList<string?>> rows)
    {
        foreach (var row in rows)
        {
            text.Append(label).Append(": ")
                .AppendJoin(", ", columns.Select((c, i) => $"{c.Name}={row[i] ?? "NULL"}"))
                .AppendLine();
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}

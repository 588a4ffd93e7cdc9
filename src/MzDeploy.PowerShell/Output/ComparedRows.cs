using System.Management.Automation;
using MzDeploy.Engine.Model;

namespace MzDeploy;

/// <summary>Compared rows as pipeline objects; shared by every output that shows a comparison's sample.</summary>
internal static class ComparedRows
{
    // A row as an object with the column names as properties, so it formats as a table and filters with Where-Object.
    public static PSObject ToObject(ComparedRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var result = new PSObject();
        foreach (var (column, value) in row.Values)
        {
            result.Properties.Add(new PSNoteProperty(column, value));
        }

        return result;
    }
}

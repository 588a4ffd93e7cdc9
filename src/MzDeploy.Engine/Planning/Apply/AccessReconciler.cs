using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning.Apply;

/// <summary>
/// Converges an object's privileges and comments on what its file says: GRANT what is missing, REVOKE what
/// production holds and the file does not grant, COMMENT ON what differs (IS NULL for a comment the file dropped).
/// The roles setup manages keep their privileges: apply never revokes from them.
/// </summary>
internal static class AccessReconciler
{
    private static readonly HashSet<string> ProtectedGrantees = new(StringComparer.Ordinal)
    {
        RoleCheck.DeployerRole, RoleCheck.DeveloperRole, RoleCheck.MonitorRole,
    };

    /// <summary>The privileges the file's GRANT (and REVOKE) statements on the object leave granted.</summary>
    public static IReadOnlySet<InfrastructureGrant> Desired(IEnumerable<SqlStatement> statements, InfrastructureKind kind, Func<ObjectName, bool> isThis)
    {
        var desired = new HashSet<InfrastructureGrant>();
        foreach (var grant in statements.OfType<GrantStatement>().Where(g => !g.All && g.Targets.Any(isThis)))
        {
            var privileges = grant.Privileges
                .SelectMany(p => p is "ALL" or "ALL PRIVILEGES" ? kind.AllPrivileges() : [p])
                .ToList();
            foreach (var grantee in grant.Grantees.Select(Grantee))
            {
                foreach (var privilege in privileges)
                {
                    var item = new InfrastructureGrant(privilege, grantee);
                    if (grant.IsRevoke)
                    {
                        desired.Remove(item);
                    }
                    else
                    {
                        desired.Add(item);
                    }
                }
            }
        }

        return desired;
    }

    /// <summary>GRANT and REVOKE statements that take <paramref name="actual"/> to <paramref name="desired"/>; each change described in <paramref name="changes"/>.</summary>
    public static IEnumerable<ApplyStatement> Grants(InfrastructureKind kind, string quotedName, IReadOnlySet<InfrastructureGrant> desired,
        IReadOnlyList<InfrastructureGrant> actual, List<string> changes)
    {
        var on = $"ON {GrantType(kind)} {quotedName}";
        var missing = desired.Except(actual).ToList();
        var extra = actual.Except(desired).Where(g => !ProtectedGrantees.Contains(g.Grantee)).ToList();
        foreach (var group in missing.GroupBy(g => g.Grantee).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var privileges = string.Join(", ", group.Select(g => Keyword(g.Privilege)).Order(StringComparer.Ordinal));
            changes.Add($"grant {privileges} to {group.Key}");
            yield return new ApplyStatement($"GRANT {privileges} {on} TO {GranteeSql(group.Key)}");
        }

        foreach (var group in extra.GroupBy(g => g.Grantee).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var privileges = string.Join(", ", group.Select(g => Keyword(g.Privilege)).Order(StringComparer.Ordinal));
            changes.Add($"revoke {privileges} from {group.Key}");
            yield return new ApplyStatement($"REVOKE {privileges} {on} FROM {GranteeSql(group.Key)}");
        }
    }

    /// <summary>COMMENT ON statements that make the object's (and its columns') comments what the file says.</summary>
    public static IEnumerable<ApplyStatement> Comments(InfrastructureKind kind, string quotedName, IEnumerable<SqlStatement> statements,
        Func<ObjectName, bool> isThis, string? actual, IReadOnlyDictionary<string, string>? actualColumns, List<string> changes)
    {
        var comments = statements.OfType<CommentStatement>().Where(c => c.Target is { } t && isThis(t)).ToList();
        var own = comments.LastOrDefault(c => c.ObjectType != "COLUMN");
        var desired = own?.Comment;
        if (!string.Equals(desired, actual, StringComparison.Ordinal) && (own is not null || actual is not null))
        {
            changes.Add(desired is null ? "remove the comment" : "set the comment");
            yield return new ApplyStatement($"COMMENT ON {kind.SqlType()} {quotedName} IS {Literal(desired)}");
        }

        var desiredColumns = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var column in comments.Where(c => c.ObjectType == "COLUMN" && c.Column is not null))
        {
            desiredColumns[column.Column!.Value] = column.Comment;
        }

        actualColumns ??= new Dictionary<string, string>();
        foreach (var name in desiredColumns.Keys.Union(actualColumns.Keys).Order(StringComparer.Ordinal))
        {
            var want = desiredColumns.GetValueOrDefault(name);
            var have = actualColumns.GetValueOrDefault(name);
            if (!string.Equals(want, have, StringComparison.Ordinal))
            {
                changes.Add(want is null ? $"remove the comment on column {name}" : $"set the comment on column {name}");
                yield return new ApplyStatement($"COMMENT ON COLUMN {quotedName}.{SqlIdentifier.Quote(name)} IS {Literal(want)}");
            }
        }
    }

    /// <summary>The object type GRANT names: sources take table privileges (GRANT SELECT ON TABLE src).</summary>
    private static string GrantType(InfrastructureKind kind) => kind == InfrastructureKind.Source ? "TABLE" : kind.SqlType();

    private static string Grantee(Identifier grantee) =>
        !grantee.Quoted && grantee.Value.Equals("public", StringComparison.OrdinalIgnoreCase) ? InfrastructureGrant.Public : grantee.Value;

    private static string GranteeSql(string grantee) => grantee == InfrastructureGrant.Public ? "PUBLIC" : SqlIdentifier.Quote(grantee);

    private static string Literal(string? text) => text is null ? "NULL" : SqlLiteral.Quote(text);

    // Privileges are written as keywords, so they must be words: nothing from the catalog can smuggle SQL in.
    private static string Keyword(string words) =>
        words.Length > 0 && words.All(c => c is (>= 'A' and <= 'Z') or ' ')
            ? words
            : throw new ArgumentException($"'{words}' is not a privilege name");
}

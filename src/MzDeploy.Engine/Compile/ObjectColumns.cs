using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Compile;

/// <summary>
/// What the compiler knows of an object's column names. <paramref name="Unknown"/> says why the list may be
/// incomplete (a <c>SELECT *</c> it cannot expand, an expression without an alias, an external object), or
/// is null when <paramref name="Names"/> is every column.
/// </summary>
internal sealed record ColumnSet(IReadOnlyList<string> Names, string? Unknown)
{
    public bool IsComplete => Unknown is null;

    public bool Contains(string column) => Names.Contains(column, StringComparer.Ordinal);

    public static ColumnSet Unknowable(string why) => new(Array.Empty<string>(), why);
}

/// <summary>
/// Column names of project objects, as far as the compiler can tell without a database: a table's column
/// definitions; a view's explicit column list; else its top-level select list (<c>AS</c> aliases, bare column
/// references, implicit aliases; <c>*</c> and <c>t.*</c> when the <c>FROM</c> is a single relation whose columns
/// are known). Names it cannot tell make the set incomplete, never wrong-by-guess: an expression without an
/// alias is unnamed rather than named as some database might name it.
/// </summary>
internal sealed class ObjectColumns
{
    private static readonly HashSet<string> SelectStops = new(StringComparer.Ordinal)
    {
        "from", "where", "group", "having", "window", "union", "except", "intersect", "order", "limit", "offset", "fetch",
    };

    private readonly IReadOnlyDictionary<ObjectId, CompiledObject> _objects;
    private readonly NameResolver _resolver;
    private readonly Dictionary<ObjectId, ColumnSet> _known = new();
    private readonly HashSet<ObjectId> _inProgress = new();

    public ObjectColumns(IReadOnlyDictionary<ObjectId, CompiledObject> objects, NameResolver resolver)
    {
        _objects = objects;
        _resolver = resolver;
    }

    /// <summary>The kind of project object <paramref name="id"/>, or null when the project does not define it.</summary>
    public ObjectKind? TargetKind(ObjectId id) => _objects.TryGetValue(id, out var o) ? o.Kind : null;

    /// <summary>The columns of <paramref name="id"/> (a project object, else unknowable).</summary>
    public ColumnSet Of(ObjectId id)
    {
        if (_known.TryGetValue(id, out var known))
        {
            return known;
        }

        if (!_objects.TryGetValue(id, out var compiled))
        {
            return ColumnSet.Unknowable($"{id} is not defined in this project");
        }

        if (!_inProgress.Add(id))
        {
            return ColumnSet.Unknowable($"{id} reads itself");
        }

        var columns = compiled.Statement switch
        {
            CreateTableStatement { Columns.Count: > 0 } table => new ColumnSet(table.Columns.Select(c => c.Name.Value).ToList(), null),
            CreateTableStatement => ColumnSet.Unknowable($"{id} does not list its columns"),
            CreateViewStatement { Columns.Count: > 0 } view => new ColumnSet(view.Columns.Select(c => c.Value).ToList(), null),
            CreateViewStatement view => FromQuery(compiled, view),
            _ => ColumnSet.Unknowable($"{compiled.Kind.Describe()} {id} has no columns the compiler can see"),
        };
        _inProgress.Remove(id);
        _known[id] = columns;
        return columns;
    }

    private ColumnSet FromQuery(CompiledObject compiled, CreateViewStatement view)
    {
        var span = view.Query.Span;
        var tokens = view.Tokens.Where(t => t.Span.Start >= span.Start && t.Span.End <= span.End).ToList();
        var i = SkipWith(tokens, 0);
        if (i >= tokens.Count || !tokens[i].IsKeyword("select"))
        {
            return ColumnSet.Unknowable("its query is not a plain SELECT");
        }

        i++;
        if (i < tokens.Count && tokens[i].IsKeyword("all"))
        {
            i++;
        }
        else if (i < tokens.Count && tokens[i].IsKeyword("distinct"))
        {
            i++;
            if (i < tokens.Count && tokens[i].IsKeyword("on"))
            {
                i = SkipBalanced(tokens, i + 1);
            }
        }

        var items = Split(tokens, ref i);
        var from = new List<List<Token>>();
        if (i < tokens.Count && tokens[i].IsKeyword("from"))
        {
            i++;
            from = Split(tokens, ref i);
        }

        var names = new List<string>();
        string? unknown = null;
        foreach (var item in items)
        {
            if (IsStar(item, out var qualifier))
            {
                var expanded = Star(compiled, view, from, qualifier);
                names.AddRange(expanded.Names);
                unknown ??= expanded.Unknown;
                continue;
            }

            if (NameOf(item) is { } name)
            {
                names.Add(name);
            }
            else
            {
                unknown ??= $"the select list item '{string.Join(" ", item.Select(t => t.Text))}' has no name (add AS <name>)";
            }
        }

        return new ColumnSet(names, unknown);
    }

    // * or t.*: expanded only over a FROM of one relation (with an optional alias) whose columns are known.
    private ColumnSet Star(CompiledObject compiled, CreateViewStatement view, List<List<Token>> items, string? qualifier)
    {
        var star = qualifier is null ? "*" : $"{qualifier}.*";
        var from = items.Count == 1 ? items[0] : new List<Token>();
        var nameEnd = from.Count > 0 && from[0].IsWord ? 1 : 0;
        while (nameEnd > 0 && nameEnd + 1 < from.Count && from[nameEnd].Kind == TokenKind.Dot && from[nameEnd + 1].IsWord)
        {
            nameEnd += 2;
        }

        var rest = from.Skip(nameEnd).ToList();
        if (rest.Count > 0 && rest[0].IsKeyword("as"))
        {
            rest.RemoveAt(0);
        }

        var reference = nameEnd == 0 ? null : view.References.FirstOrDefault(r => r.Span.Start == from[0].Span.Start);
        if (reference is null || rest.Count > 1 || (rest.Count == 1 && !IsAliasWord(rest[0])))
        {
            return ColumnSet.Unknowable($"SELECT {star} reads more than one relation, or not a plain relation");
        }

        var alias = rest.Count == 1 ? rest[0].Value : reference.Name.Item.Value;
        if (qualifier is not null && qualifier != alias)
        {
            return ColumnSet.Unknowable($"SELECT {star} names no relation of its FROM");
        }

        var file = compiled.Source.File;
        var resolution = _resolver.Resolve(reference.Name, file.Database!, file.Schema!);
        if (resolution.Kind != ResolutionKind.ProjectObject)
        {
            return ColumnSet.Unknowable($"SELECT {star} reads {resolution.Id}, which is not defined in this project");
        }

        var columns = Of(resolution.Id);
        return columns.IsComplete ? columns : ColumnSet.Unknowable($"SELECT {star} reads {resolution.Id}, whose columns are not known ({columns.Unknown})");
    }

    /// <summary>The items between commas at depth 0, up to a clause word at depth 0; <paramref name="i"/> ends on that word.</summary>
    private static List<List<Token>> Split(List<Token> tokens, ref int i)
    {
        var items = new List<List<Token>>();
        var current = new List<Token>();
        var depth = 0;
        for (; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (depth == 0 && token.Kind == TokenKind.Identifier &&
                (SelectStops.Contains(token.Value) || (token.Value == "options" && i + 1 < tokens.Count && tokens[i + 1].Kind == TokenKind.LeftParen)))
            {
                break;
            }

            if (token.Kind is TokenKind.LeftParen or TokenKind.LeftBracket)
            {
                depth++;
            }
            else if (token.Kind is TokenKind.RightParen or TokenKind.RightBracket)
            {
                depth--;
            }
            else if (depth == 0 && token.Kind == TokenKind.Comma)
            {
                items.Add(current);
                current = new List<Token>();
                continue;
            }

            current.Add(token);
        }

        if (current.Count > 0)
        {
            items.Add(current);
        }

        return items;
    }

    private static bool IsStar(List<Token> item, out string? qualifier)
    {
        qualifier = null;
        if (item.Count == 0 || !item[^1].IsOperator("*"))
        {
            return false;
        }

        if (item.Count == 1)
        {
            return true;
        }

        if (item.Count >= 3 && item[^2].Kind == TokenKind.Dot && item[^3].IsWord)
        {
            qualifier = item[^3].Value;
            return true;
        }

        return false;
    }

    /// <summary><c>… AS name</c>, a (dotted) column reference, or <c>expr name</c>; null when the item has no name of its own.</summary>
    private static string? NameOf(List<Token> item)
    {
        if (item.Count >= 2 && item[^2].IsKeyword("as") && item[^1].IsWord)
        {
            return item[^1].Value;
        }

        var dotted = item.Count % 2 == 1;
        for (var k = 0; dotted && k < item.Count; k++)
        {
            dotted = k % 2 == 0 ? item[k].IsWord && !(item[k].Kind == TokenKind.Identifier && SqlKeywords.Reserved.Contains(item[k].Value)) : item[k].Kind == TokenKind.Dot;
        }

        if (dotted)
        {
            return item[^1].Value;
        }

        if (item.Count >= 2 && IsAliasWord(item[^1]) && item[^2].Kind is not (TokenKind.Dot or TokenKind.Operator))
        {
            return item[^1].Value;
        }

        return null;
    }

    private static bool IsAliasWord(Token token) =>
        token.Kind == TokenKind.QuotedIdentifier || (token.Kind == TokenKind.Identifier && !SqlKeywords.Reserved.Contains(token.Value));

    private static int SkipWith(List<Token> tokens, int i)
    {
        if (i >= tokens.Count || !tokens[i].IsKeyword("with"))
        {
            return i;
        }

        i++;
        while (i < tokens.Count && (tokens[i].IsKeyword("mutually") || tokens[i].IsKeyword("recursive")))
        {
            i++;
        }

        if (i < tokens.Count && tokens[i].Kind == TokenKind.LeftParen)
        {
            i = SkipBalanced(tokens, i);
        }

        while (i < tokens.Count)
        {
            i++; // the CTE name
            if (i < tokens.Count && tokens[i].Kind == TokenKind.LeftParen)
            {
                i = SkipBalanced(tokens, i);
            }

            while (i < tokens.Count && tokens[i].Kind != TokenKind.LeftParen)
            {
                i++; // AS [NOT] MATERIALIZED
            }

            i = SkipBalanced(tokens, i);
            if (i < tokens.Count && tokens[i].Kind == TokenKind.Comma)
            {
                i++;
                continue;
            }

            break;
        }

        return i;
    }

    /// <summary>From a <c>(</c> at <paramref name="i"/>, the index after its matching <c>)</c>.</summary>
    private static int SkipBalanced(List<Token> tokens, int i)
    {
        var depth = 0;
        for (; i < tokens.Count; i++)
        {
            if (tokens[i].Kind == TokenKind.LeftParen)
            {
                depth++;
            }
            else if (tokens[i].Kind == TokenKind.RightParen && --depth == 0)
            {
                return i + 1;
            }
        }

        return i;
    }
}

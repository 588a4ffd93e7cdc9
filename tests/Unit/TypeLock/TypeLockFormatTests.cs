using MzDeploy.Engine.Errors;
using MzDeploy.Engine.TypeLock;

namespace MzDeploy.Tests.Unit.TypeLock;

/// <summary>types.lock as text: one exact layout, whatever order the columns arrive in, and readable errors.</summary>
public sealed class TypeLockFormatTests
{
    private static LockedObject Obj(string name, string? kind, params LockedColumn[] columns) => new(name, kind, columns);

    private static readonly TypeLockFile Sample = new([
        Obj("raw.public.orders", "table-from-source", new("id", "bigint", false), new("amount", "numeric(10,2)", true), new("note", "text", true)),
        Obj("mz_catalog.mz_tables", "table", new("id", "text", false), new("name", "text", false)),
        Obj("\"Sales\".x.é", null, new LockedColumn("Größe", "character varying", true)),
    ]);

    private static string Col(string name, string type, bool nullable, bool last = false) =>
        $"        \"{name}\": {{\n          \"type\": \"{type}\",\n          \"nullable\": {(nullable ? "true" : "false")}\n        }}{(last ? "" : ",")}\n";

    [Fact]
    public void Writes_version_2_objects_sorted_kind_then_columns_in_relation_order_two_space_indent_lf_and_a_final_newline()
    {
        var text = TypeLockFormat.Write(Sample);

        Assert.Equal(
            "{\n"
            + "  \"version\": 2,\n"
            + "  \"objects\": {\n"
            + "    \"\\\"Sales\\\".x.é\": {\n"
            + "      \"columns\": {\n"
            + Col("Größe", "character varying", true, last: true)
            + "      }\n"
            + "    },\n"
            + "    \"mz_catalog.mz_tables\": {\n"
            + "      \"kind\": \"table\",\n"
            + "      \"columns\": {\n"
            + Col("id", "text", false) + Col("name", "text", false, last: true)
            + "      }\n"
            + "    },\n"
            + "    \"raw.public.orders\": {\n"
            + "      \"kind\": \"table-from-source\",\n"
            + "      \"columns\": {\n"
            + Col("id", "bigint", false) + Col("amount", "numeric(10,2)", true) + Col("note", "text", true, last: true)
            + "      }\n"
            + "    }\n"
            + "  }\n"
            + "}\n",
            text);
    }

    [Fact]
    public void The_same_objects_given_in_another_order_write_the_same_bytes_and_rewriting_what_was_read_changes_nothing()
    {
        var reversed = new TypeLockFile(Sample.Locked.Values.Reverse());
        var text = TypeLockFormat.Write(Sample);

        Assert.Equal(text, TypeLockFormat.Write(reversed));
        Assert.Equal(text, TypeLockFormat.Write(TypeLockFormat.Parse(text, "types.lock")));
        Assert.Equal(text, TypeLockFormat.Write(TypeLockFormat.Parse(TypeLockFormat.Write(TypeLockFormat.Parse(text, "types.lock")), "types.lock")));
    }

    [Fact]
    public void A_version_1_file_without_kinds_reads_with_its_columns_and_no_kind()
    {
        // Session 12's layout, byte for byte: objects map straight to their columns.
        var read = TypeLockFormat.Parse(
            "{\n  \"version\": 1,\n  \"objects\": {\n    \"raw.public.orders\": {\n"
            + "      \"id\": {\n        \"type\": \"bigint\",\n        \"nullable\": false\n      },\n"
            + "      \"kind\": {\n        \"type\": \"text\",\n        \"nullable\": true\n      }\n    }\n  }\n}\n",
            "types.lock");

        Assert.Equal([new LockedColumn("id", "bigint", false), new("kind", "text", true)], read.ColumnsOf("raw.public.orders"));
        Assert.Null(read.KindOf("raw.public.orders"));
        Assert.StartsWith("{\n  \"version\": 2,", TypeLockFormat.Write(read), StringComparison.Ordinal);
    }

    [Fact]
    public void The_version_decides_the_shape_even_after_the_objects()
    {
        var v1 = TypeLockFormat.Parse("""{"objects": {"a.b.c": {"columns": {"type": "jsonb"}}}, "version": 1}""", "types.lock");
        var v2 = TypeLockFormat.Parse("""{"objects": {"a.b.c": {"kind": "view", "columns": {"x": {"type": "int"}}}}, "version": 2}""", "types.lock");

        Assert.Equal([new LockedColumn("columns", "jsonb", true)], v1.ColumnsOf("a.b.c"));
        Assert.Equal([new LockedColumn("x", "int", true)], v2.ColumnsOf("a.b.c"));
        Assert.Equal("view", v2.KindOf("a.b.c"));
    }

    [Fact]
    public void What_is_written_reads_back_to_the_same_text()
    {
        var text = TypeLockFormat.Write(Sample);
        var read = TypeLockFormat.Parse(text, "types.lock");

        Assert.Equal(text, TypeLockFormat.Write(read));
        Assert.Equal(["amount", "id", "note"], read.ColumnsOf("raw.public.orders")!.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal(new LockedColumn("amount", "numeric(10,2)", true), read.ColumnsOf("raw.public.orders")![1]);
        Assert.Null(read.ColumnsOf("raw.public.missing"));
        Assert.Equal("table-from-source", read.KindOf("raw.public.orders"));
        Assert.Null(read.KindOf("\"Sales\".x.é"));
    }

    [Fact]
    public void An_empty_lock_has_an_empty_objects_map()
    {
        Assert.Equal("{\n  \"version\": 2,\n  \"objects\": {}\n}\n", TypeLockFormat.Write(new TypeLockFile([])));
    }

    [Fact]
    public void Keys_it_does_not_know_are_ignored_and_a_missing_nullable_means_nullable()
    {
        var read = TypeLockFormat.Parse("""
            {"version": 2, "generator": "mz-deploy", "objects": {
              "a.b.c": {"kind": "table", "owner": "x", "columns": {"x": {"type": "int", "comment": "the x"}}}}}
            """, "types.lock");

        Assert.Equal([new LockedColumn("x", "int", true)], read.ColumnsOf("a.b.c"));
    }

    [Theory]
    [InlineData("{\n  \"version\": 1,\n  \"objects\": {\n    \"a.b.c\": {\n      \"x\": {\"type\": 5}\n    }\n  }\n}", 5, 21, "the type of column 'x' of 'a.b.c' must be a non-empty string")]
    [InlineData("{\n  \"version\": 2,\n  \"objects\": {\n    \"a.b.c\": {\"columns\": {\"x\": {\"type\": 5}}}\n  }\n}", 4, 41, "the type of column 'x' of 'a.b.c' must be a non-empty string")]
    [InlineData("{\n  \"version\": 2,\n  \"objects\": {\n    \"a.b.c\": {\"kind\": 7}\n  }\n}", 4, 23, "the kind of 'a.b.c' must be a non-empty string")]
    [InlineData("{\n  \"version\": 2,\n  \"objects\": {\n    \"a.b.c\": {\"columns\": []}\n  }\n}", 4, 26, "the columns of 'a.b.c' must be an object")]
    [InlineData("{\n  \"version\": 3,\n  \"objects\": {}\n}", 2, 14, "version 3 is not supported: this build reads types.lock versions 1 to 2")]
    [InlineData("{\n  \"objects\": {}\n}", 3, 1, "the file has no 'version'")]
    [InlineData("{\n  \"version\": 1,\n  \"objects\": []\n}", 3, 14, "'objects' must be an object")]
    [InlineData("{\n  \"version\": 1,\n  \"objects\": {\n    \"a.b.c\": {\n      \"x\": {\"nullable\": true}\n    }\n  }\n}", 5, 12, "column 'x' of 'a.b.c' has no \"type\"")]
    [InlineData("{\n  \"version\": 1,\n  \"objects\": {\"a.b.c\": {}, \"a.b.c\": {}}\n}", 3, 28, "object 'a.b.c' appears twice")]
    [InlineData("{\n  \"version\": 1,\n  \"objects\": {\n  }", 4, 4, "invalid JSON")]
    [InlineData("{\n  \"version\": 1,\n  \"objects\": {}\n} {}", 4, 3, "invalid JSON")]
    public void A_file_it_cannot_read_is_TypeLockInvalid_with_line_and_column(string text, int line, int column, string message)
    {
        var e = Assert.Throws<MzDeployException>(() => TypeLockFormat.Parse(text, "types.lock", "/p/types.lock"));

        Assert.Equal("TypeLockInvalid", e.ErrorId);
        Assert.StartsWith($"types.lock:{line}:{column}: {message}", e.Message, StringComparison.Ordinal);
        Assert.Equal("/p/types.lock", e.Target);
        Assert.IsType<RegenerateTypeLock>(e.Remedy);
    }
}

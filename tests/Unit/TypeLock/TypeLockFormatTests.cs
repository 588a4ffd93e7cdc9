using MzDeploy.Engine.Errors;
using MzDeploy.Engine.TypeLock;

namespace MzDeploy.Tests.Unit.TypeLock;

/// <summary>types.lock as text: one exact layout, whatever order the columns arrive in, and readable errors.</summary>
public sealed class TypeLockFormatTests
{
    private static KeyValuePair<string, IReadOnlyList<LockedColumn>> Obj(string name, params LockedColumn[] columns) => new(name, columns);

    private static readonly TypeLockFile Sample = new([
        Obj("raw.public.orders", new("id", "bigint", false), new("amount", "numeric(10,2)", true), new("note", "text", true)),
        Obj("mz_catalog.mz_tables", new("id", "text", false), new("name", "text", false)),
        Obj("\"Sales\".x.é", new LockedColumn("Größe", "character varying", true)),
    ]);

    [Fact]
    public void Writes_objects_sorted_columns_in_relation_order_two_space_indent_lf_and_a_final_newline()
    {
        var text = TypeLockFormat.Write(Sample);

        Assert.Equal(
            "{\n"
            + "  \"version\": 1,\n"
            + "  \"objects\": {\n"
            + "    \"\\\"Sales\\\".x.é\": {\n"
            + "      \"Größe\": {\n"
            + "        \"type\": \"character varying\",\n"
            + "        \"nullable\": true\n"
            + "      }\n"
            + "    },\n"
            + "    \"mz_catalog.mz_tables\": {\n"
            + "      \"id\": {\n        \"type\": \"text\",\n        \"nullable\": false\n      },\n"
            + "      \"name\": {\n        \"type\": \"text\",\n        \"nullable\": false\n      }\n"
            + "    },\n"
            + "    \"raw.public.orders\": {\n"
            + "      \"id\": {\n        \"type\": \"bigint\",\n        \"nullable\": false\n      },\n"
            + "      \"amount\": {\n        \"type\": \"numeric(10,2)\",\n        \"nullable\": true\n      },\n"
            + "      \"note\": {\n        \"type\": \"text\",\n        \"nullable\": true\n      }\n"
            + "    }\n"
            + "  }\n"
            + "}\n",
            text);
    }

    [Fact]
    public void The_same_columns_given_in_another_object_order_write_the_same_bytes()
    {
        var reversed = new TypeLockFile(Sample.Objects.Reverse());

        Assert.Equal(TypeLockFormat.Write(Sample), TypeLockFormat.Write(reversed));
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
    }

    [Fact]
    public void An_empty_lock_has_an_empty_objects_map()
    {
        Assert.Equal("{\n  \"version\": 1,\n  \"objects\": {}\n}\n", TypeLockFormat.Write(new TypeLockFile([])));
    }

    [Fact]
    public void Keys_it_does_not_know_are_ignored_and_a_missing_nullable_means_nullable()
    {
        var read = TypeLockFormat.Parse("""
            {"version": 1, "generator": "mz-deploy", "objects": {
              "a.b.c": {"x": {"type": "int", "comment": "the x"}}}}
            """, "types.lock");

        Assert.Equal([new LockedColumn("x", "int", true)], read.ColumnsOf("a.b.c"));
    }

    [Theory]
    [InlineData("{\n  \"version\": 1,\n  \"objects\": {\n    \"a.b.c\": {\n      \"x\": {\"type\": 5}\n    }\n  }\n}", 5, 21, "the type of column 'x' of 'a.b.c' must be a non-empty string")]
    [InlineData("{\n  \"version\": 2,\n  \"objects\": {}\n}", 2, 14, "version 2 is not supported")]
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

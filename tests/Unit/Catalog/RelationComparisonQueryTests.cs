using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Model;

namespace MzDeploy.Tests.Unit.Catalog;

public class RelationComparisonQueryTests
{
    private static readonly ObjectId Left = new("db__alice", "s", "v");
    private static readonly ObjectId Right = new("db", "s", "v");

    [Fact]
    public void Counts_and_samples_come_from_one_statement_over_the_shared_columns_quoted()
    {
        var sql = RelationComparisonQuery.Sql(Left, Right, ["id", "Odd Name"], 7);

        Assert.StartsWith("WITH l AS (SELECT \"id\", \"Odd Name\" FROM db__alice.s.v), r AS (SELECT \"id\", \"Odd Name\" FROM db.s.v), ", sql);
        Assert.Contains("only_l AS (SELECT * FROM l EXCEPT ALL SELECT * FROM r)", sql);
        Assert.Contains("only_r AS (SELECT * FROM r EXCEPT ALL SELECT * FROM l)", sql);
        Assert.Contains("(SELECT 'left'::text AS \"mz_deploy_compare_side\", * FROM only_l LIMIT 7)", sql);
        Assert.Contains("(SELECT 'right'::text AS \"mz_deploy_compare_side\", * FROM only_r LIMIT 7)", sql);
        Assert.EndsWith("SELECT counts.*, sample.* FROM counts LEFT JOIN sample ON true", sql);
        Assert.DoesNotContain(";", sql);
    }

    [Fact]
    public void Without_shared_columns_only_the_counts_are_read()
    {
        Assert.Equal("SELECT (SELECT count(*) FROM db__alice.s.v), (SELECT count(*) FROM db.s.v), 0::bigint, 0::bigint, NULL::text",
            RelationComparisonQuery.Sql(Left, Right, [], 10));
    }

    [Fact]
    public void A_negative_sample_size_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RelationComparisonQuery.Sql(Left, Right, ["id"], -1));
    }
}

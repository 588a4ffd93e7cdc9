using MzDeploy.Engine.Catalog;

namespace MzDeploy.Tests.Unit.Catalog;

/// <summary>A secret's value is cleared from text about the statement that carried it, quoted or not.</summary>
public class SecretMaskTests
{
    [Fact]
    public void The_value_between_the_masked_and_the_sent_statement_is_masked_wherever_it_appears()
    {
        var hide = SecretMask.Redactor("CREATE SECRET \"s\" AS '***'", "CREATE SECRET \"s\" AS 'it''s-k3y'");

        Assert.Equal("syntax error at or near '***' in CREATE SECRET \"s\" AS '***'",
            hide("syntax error at or near 'it's-k3y' in CREATE SECRET \"s\" AS 'it''s-k3y'"));
    }

    [Fact]
    public void Text_without_the_value_is_left_alone()
    {
        var hide = SecretMask.Redactor("ALTER SECRET \"s\" AS '***'", "ALTER SECRET \"s\" AS 'abc123'");

        Assert.Equal("permission denied for SECRET \"s\"", hide("permission denied for SECRET \"s\""));
    }
}

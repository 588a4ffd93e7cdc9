namespace MzDeploy.Engine.Planning;

/// <summary>The stable error IDs of compilation problems (scripts and tests match on them).</summary>
public static class CompileErrors
{
    public const string SqlSyntaxError = "SqlSyntaxError";
    public const string MissingPrimaryStatement = "MissingPrimaryStatement";
    public const string MultiplePrimaryStatements = "MultiplePrimaryStatements";
    public const string ObjectNameMismatch = "ObjectNameMismatch";
    public const string StatementNotAllowed = "StatementNotAllowed";
    public const string UnresolvedReference = "UnresolvedReference";
    public const string DependencyCycle = "DependencyCycle";
    public const string DuplicateObject = "DuplicateObject";
    public const string IndexOnStorageObject = "IndexOnStorageObject";
    public const string IndexOnOtherObject = "IndexOnOtherObject";
    public const string MixedSchema = "MixedSchema";
    public const string UndefinedVariable = "UndefinedVariable";
    public const string InvalidUnitTest = "InvalidUnitTest";
    public const string OverrideNotAllowed = "OverrideNotAllowed";
}

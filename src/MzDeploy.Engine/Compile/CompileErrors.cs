namespace MzDeploy.Engine.Compile;

/// <summary>The stable error IDs of compilation problems (scripts and tests match on them).</summary>
internal static class CompileErrors
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

    // Constraints (CREATE PRIMARY KEY | UNIQUE CONSTRAINT | FOREIGN KEY …).
    public const string ConstraintNotAllowed = "ConstraintNotAllowed";
    public const string EnforcedConstraintNotAllowed = "EnforcedConstraintNotAllowed";
    public const string ConstraintMissingCluster = "ConstraintMissingCluster";
    public const string ConstraintClusterNotAllowed = "ConstraintClusterNotAllowed";
    public const string ConstraintReferenceMismatch = "ConstraintReferenceMismatch";
    public const string ConstraintColumnNotFound = "ConstraintColumnNotFound";
    public const string ConstraintReferencedColumnNotFound = "ConstraintReferencedColumnNotFound";
    public const string ConstraintColumnUnknown = "ConstraintColumnUnknown";
    public const string ConstraintColumnCountMismatch = "ConstraintColumnCountMismatch";
    public const string ConstraintInvalidTarget = "ConstraintInvalidTarget";
}

using System.Reflection;

namespace MzDeploy.Engine.Errors;

/// <summary>
/// Every error the engine raises, in one place. The IDs are stable: scripts and tests match on them. A new refusal
/// gets its entry here, and its scope decides whether a command working through several deployments stops on it.
/// </summary>
public static class ErrorIds
{
    // Connection and statements.
    public static readonly ErrorDefinition ConnectionFailed = Command("ConnectionFailed", ErrorKind.ConnectionError);
    public static readonly ErrorDefinition AuthenticationFailed = Command("AuthenticationFailed", ErrorKind.PermissionDenied);
    public static readonly ErrorDefinition SqlStatementFailed = Command("SqlStatementFailed", ErrorKind.InvalidOperation);
    public static readonly ErrorDefinition SqlPermissionDenied = Command("SqlPermissionDenied", ErrorKind.PermissionDenied);
    public static readonly ErrorDefinition UnexpectedCatalogResult = Command("UnexpectedCatalogResult", ErrorKind.InvalidData);

    // Roles and setup.
    public static readonly ErrorDefinition NoMzDeployRole = Command("NoMzDeployRole", ErrorKind.PermissionDenied);
    public static readonly ErrorDefinition MultipleMzDeployRoles = Command("MultipleMzDeployRoles", ErrorKind.PermissionDenied);
    public static readonly ErrorDefinition MzDeployRoleRequired = Command("MzDeployRoleRequired", ErrorKind.PermissionDenied);
    public static readonly ErrorDefinition SetupRequired = Command("SetupRequired", ErrorKind.NotInstalled);
    public static readonly ErrorDefinition SetupRequiresSuperuser = Command("SetupRequiresSuperuser", ErrorKind.PermissionDenied);
    public static readonly ErrorDefinition SetupNotDatabaseOwner = Command("SetupNotDatabaseOwner", ErrorKind.PermissionDenied);

    // Project folder, configuration and profiles.
    public static readonly ErrorDefinition ProjectNotFound = Command("ProjectNotFound", ErrorKind.ObjectNotFound);
    public static readonly ErrorDefinition ProjectConfigInvalid = Command("ProjectConfigInvalid", ErrorKind.InvalidData);
    public static readonly ErrorDefinition ProfilesConfigInvalid = Command("ProfilesConfigInvalid", ErrorKind.InvalidData);
    public static readonly ErrorDefinition ProfileNotFound = Command("ProfileNotFound", ErrorKind.ObjectNotFound);
    public static readonly ErrorDefinition NoProfileSelected = Command("NoProfileSelected", ErrorKind.InvalidArgument);
    public static readonly ErrorDefinition ProfilePasswordVariableNotFound = Command("ProfilePasswordVariableNotFound", ErrorKind.InvalidArgument);
    public static readonly ErrorDefinition ProfileIncomplete = Command("ProfileIncomplete", ErrorKind.InvalidArgument);
    public static readonly ErrorDefinition ProjectExists = Command("ProjectExists", ErrorKind.ResourceExists);
    public static readonly ErrorDefinition InvalidProjectName = Command("InvalidProjectName", ErrorKind.InvalidArgument);
    public static readonly ErrorDefinition GitError = Command("GitError", ErrorKind.InvalidOperation);

    // Project files (reported as diagnostics, all of them at once).
    public static readonly ErrorDefinition UnexpectedSqlFile = Command("UnexpectedSqlFile", ErrorKind.InvalidData);
    public static readonly ErrorDefinition InvalidObjectName = Command("InvalidObjectName", ErrorKind.InvalidData);
    public static readonly ErrorDefinition ConflictingProjectFiles = Command("ConflictingProjectFiles", ErrorKind.InvalidData);
    public static readonly ErrorDefinition ProjectFileUnreadable = Command("ProjectFileUnreadable", ErrorKind.InvalidData);

    // Compilation (reported as diagnostics; CompilationFailed carries them all).
    public static readonly ErrorDefinition CompilationFailed = Command("CompilationFailed", ErrorKind.InvalidData);
    public static readonly ErrorDefinition SqlSyntaxError = Command("SqlSyntaxError", ErrorKind.InvalidData);
    public static readonly ErrorDefinition MissingPrimaryStatement = Command("MissingPrimaryStatement", ErrorKind.InvalidData);
    public static readonly ErrorDefinition MultiplePrimaryStatements = Command("MultiplePrimaryStatements", ErrorKind.InvalidData);
    public static readonly ErrorDefinition ObjectNameMismatch = Command("ObjectNameMismatch", ErrorKind.InvalidData);
    public static readonly ErrorDefinition StatementNotAllowed = Command("StatementNotAllowed", ErrorKind.InvalidData);
    public static readonly ErrorDefinition UnresolvedReference = Command("UnresolvedReference", ErrorKind.InvalidData);
    public static readonly ErrorDefinition DependencyCycle = Command("DependencyCycle", ErrorKind.InvalidData);
    public static readonly ErrorDefinition DuplicateObject = Command("DuplicateObject", ErrorKind.InvalidData);
    public static readonly ErrorDefinition IndexOnStorageObject = Command("IndexOnStorageObject", ErrorKind.InvalidData);
    public static readonly ErrorDefinition IndexOnOtherObject = Command("IndexOnOtherObject", ErrorKind.InvalidData);
    public static readonly ErrorDefinition MixedSchema = Command("MixedSchema", ErrorKind.InvalidData);
    public static readonly ErrorDefinition UndefinedVariable = Command("UndefinedVariable", ErrorKind.InvalidData);
    public static readonly ErrorDefinition InvalidUnitTest = Command("InvalidUnitTest", ErrorKind.InvalidData);
    public static readonly ErrorDefinition OverrideNotAllowed = Command("OverrideNotAllowed", ErrorKind.InvalidData);
    public static readonly ErrorDefinition ConstraintNotAllowed = Command("ConstraintNotAllowed", ErrorKind.InvalidData);
    public static readonly ErrorDefinition EnforcedConstraintNotAllowed = Command("EnforcedConstraintNotAllowed", ErrorKind.InvalidData);
    public static readonly ErrorDefinition ConstraintMissingCluster = Command("ConstraintMissingCluster", ErrorKind.InvalidData);
    public static readonly ErrorDefinition ConstraintClusterNotAllowed = Command("ConstraintClusterNotAllowed", ErrorKind.InvalidData);
    public static readonly ErrorDefinition ConstraintReferenceMismatch = Command("ConstraintReferenceMismatch", ErrorKind.InvalidData);
    public static readonly ErrorDefinition ConstraintColumnNotFound = Command("ConstraintColumnNotFound", ErrorKind.InvalidData);
    public static readonly ErrorDefinition ConstraintReferencedColumnNotFound = Command("ConstraintReferencedColumnNotFound", ErrorKind.InvalidData);
    public static readonly ErrorDefinition ConstraintColumnUnknown = Command("ConstraintColumnUnknown", ErrorKind.InvalidData);
    public static readonly ErrorDefinition ConstraintColumnCountMismatch = Command("ConstraintColumnCountMismatch", ErrorKind.InvalidData);
    public static readonly ErrorDefinition ConstraintInvalidTarget = Command("ConstraintInvalidTarget", ErrorKind.InvalidData);

    // Stage. A stage is one deployment per command, so its refusals stop the command.
    public static readonly ErrorDefinition GitDirty = Command("GitDirty", ErrorKind.InvalidOperation);
    public static readonly ErrorDefinition InvalidDeployId = Command("InvalidDeployId", ErrorKind.InvalidArgument);
    public static readonly ErrorDefinition InvalidRedeploySchema = Command("InvalidRedeploySchema", ErrorKind.InvalidArgument);
    public static readonly ErrorDefinition NewObjectInExistingStableSchema = Command("NewObjectInExistingStableSchema", ErrorKind.InvalidOperation);
    public static readonly ErrorDefinition PrerequisitesMissing = Command("PrerequisitesMissing", ErrorKind.ObjectNotFound);
    public static readonly ErrorDefinition DeploymentExists = Command("DeploymentExists", ErrorKind.ResourceExists);
    public static readonly ErrorDefinition StagingNameTaken = Command("StagingNameTaken", ErrorKind.ResourceExists);

    // Apply: one plan per command.
    public static readonly ErrorDefinition ApplyRefused = Command("ApplyRefused", ErrorKind.InvalidOperation);
    // A secret provider this build does not have (reported as a compile diagnostic at the provider call).
    public static readonly ErrorDefinition SecretProviderUnavailable = Command("SecretProviderUnavailable", ErrorKind.InvalidData);

    // One deployment among several (wait, promote, abort): the command goes on with the next.
    public static readonly ErrorDefinition DeploymentNotFound = Item("DeploymentNotFound", ErrorKind.ObjectNotFound);
    public static readonly ErrorDefinition DeploymentAlreadyPromoted = Item("DeploymentAlreadyPromoted", ErrorKind.InvalidOperation);
    public static readonly ErrorDefinition DeploymentPartiallyPromoted = Item("DeploymentPartiallyPromoted", ErrorKind.InvalidOperation);
    public static readonly ErrorDefinition DeploymentConflict = Item("DeploymentConflict", ErrorKind.ResourceExists);
    public static readonly ErrorDefinition DeploymentFailing = Item("DeploymentFailing", ErrorKind.InvalidOperation);
    public static readonly ErrorDefinition ClustersNotReady = Item("ClustersNotReady", ErrorKind.ResourceUnavailable);
    public static readonly ErrorDefinition WaitTimeout = Item("WaitTimeout", ErrorKind.OperationTimeout);
    public static readonly ErrorDefinition UnmanagedObjects = Item("UnmanagedObjects", ErrorKind.InvalidOperation);
    public static readonly ErrorDefinition StagingResourceMissing = Item("StagingResourceMissing", ErrorKind.ObjectNotFound);
    public static readonly ErrorDefinition ProductionClusterMissing = Item("ProductionClusterMissing", ErrorKind.ObjectNotFound);
    public static readonly ErrorDefinition SinkSourceRemoved = Item("SinkSourceRemoved", ErrorKind.InvalidOperation);
    public static readonly ErrorDefinition PromoteInterrupted = Item("PromoteInterrupted", ErrorKind.ConnectionError);
    public static readonly ErrorDefinition PromoteIncomplete = Item("PromoteIncomplete", ErrorKind.InvalidOperation);
    public static readonly ErrorDefinition PromoteRaceLost = Item("PromoteRaceLost", ErrorKind.ResourceUnavailable);

    // Delete: one object among several (a pipeline of objects), so a refusal concerns that object and the command goes on.
    public static readonly ErrorDefinition InvalidObjectReference = Item("InvalidObjectReference", ErrorKind.InvalidArgument);
    public static readonly ErrorDefinition ObjectNotFound = Item("ObjectNotFound", ErrorKind.ObjectNotFound);
    public static readonly ErrorDefinition ObjectKindMismatch = Item("ObjectKindMismatch", ErrorKind.InvalidArgument);
    public static readonly ErrorDefinition ObjectHasDependents = Item("ObjectHasDependents", ErrorKind.InvalidOperation);

    // Raised after the swap while finishing a promote; it has always stopped the command (a candidate for Item).
    public static readonly ErrorDefinition SinkRepointFailed = Command("SinkRepointFailed", ErrorKind.ObjectNotFound);

    // The hot rollback window (keep the previous version at promote, undo it, drop it): one deployment among several.
    public static readonly ErrorDefinition KeepPreviousNotPossible = Item("KeepPreviousNotPossible", ErrorKind.InvalidOperation);
    public static readonly ErrorDefinition NoPreviousVersion = Item("NoPreviousVersion", ErrorKind.ObjectNotFound);
    public static readonly ErrorDefinition RollbackWindowExpired = Item("RollbackWindowExpired", ErrorKind.InvalidOperation);
    public static readonly ErrorDefinition RollbackSuperseded = Item("RollbackSuperseded", ErrorKind.InvalidOperation);
    public static readonly ErrorDefinition UndoInterrupted = Item("UndoInterrupted", ErrorKind.ConnectionError);
    public static readonly ErrorDefinition UndoIncomplete = Item("UndoIncomplete", ErrorKind.InvalidOperation);

    // Dev overlays: one overlay per command.
    public static readonly ErrorDefinition DevOverlayOnProductionCluster = Command("DevOverlayOnProductionCluster", ErrorKind.InvalidOperation);
    public static readonly ErrorDefinition DevOverlayPrivilegeRequired = Command("DevOverlayPrivilegeRequired", ErrorKind.PermissionDenied);
    public static readonly ErrorDefinition DevClusterNotFound = Command("DevClusterNotFound", ErrorKind.ObjectNotFound);
    public static readonly ErrorDefinition ProjectNameUnavailable = Command("ProjectNameUnavailable", ErrorKind.InvalidArgument);

    // Reviewed stage plans: the state a saved plan was computed from moved (one plan per command).
    public static readonly ErrorDefinition PlanStale = Command("PlanStale", ErrorKind.InvalidOperation);

    // Result differences: a promote refused because a staged object's results differ from production's by more than allowed.
    public static readonly ErrorDefinition ChangedRowsExceeded = Item("ChangedRowsExceeded", ErrorKind.InvalidOperation);

    // The freshness gate (issue 17): a promote that watched the deployment saw it stop being ready. One deployment among several.
    public static readonly ErrorDefinition DeploymentNotStable = Item("DeploymentNotStable", ErrorKind.ResourceUnavailable);

    // The local sandbox (a private emulator for tests and type checks).
    public static readonly ErrorDefinition PostgresNotFound = Command("PostgresNotFound", ErrorKind.NotInstalled);
    public static readonly ErrorDefinition SandboxStartFailed = Command("SandboxStartFailed", ErrorKind.InvalidOperation);
    public static readonly ErrorDefinition SandboxAddressInvalid = Command("SandboxAddressInvalid", ErrorKind.InvalidArgument);

    // Unit tests: one test among several, so a failed or invalid test is reported and the run goes on with the next.
    public static readonly ErrorDefinition UnitTestFailed = Item("UnitTestFailed", ErrorKind.InvalidOperation);
    public static readonly ErrorDefinition UnitTestInvalid = Item("UnitTestInvalid", ErrorKind.InvalidData);
    public static readonly ErrorDefinition UnitTestFilterMatchedNothing = Command("UnitTestFilterMatchedNothing", ErrorKind.ObjectNotFound);
    public static readonly ErrorDefinition InvalidUnitTestFilter = Command("InvalidUnitTestFilter", ErrorKind.InvalidArgument);
    public static readonly ErrorDefinition UnitTestReportNotWritten = Command("UnitTestReportNotWritten", ErrorKind.ResourceUnavailable);

    // types.lock: the columns of external dependencies (lock, type-checked build).
    public static readonly ErrorDefinition TypeLockInvalid = Command("TypeLockInvalid", ErrorKind.InvalidData);
    public static readonly ErrorDefinition ExternalDependencyNotFound = Command("ExternalDependencyNotFound", ErrorKind.ObjectNotFound);
    // A type check (reported as compile diagnostics): the server refused an object's query, or types.lock lacks a dependency.
    public static readonly ErrorDefinition TypeCheckFailed = Command("TypeCheckFailed", ErrorKind.InvalidData);
    public static readonly ErrorDefinition DependencyNotLocked = Command("DependencyNotLocked", ErrorKind.InvalidData);
    // A warning: an object the sandbox cannot judge was left unchecked.
    public static readonly ErrorDefinition TypeCheckSkipped = Command("TypeCheckSkipped", ErrorKind.InvalidOperation);

    /// <summary>Every definition above, in declaration order.</summary>
    public static IReadOnlyList<ErrorDefinition> All { get; } = typeof(ErrorIds)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ErrorDefinition))
        .Select(f => (ErrorDefinition)f.GetValue(null)!)
        .ToList();

    private static ErrorDefinition Item(string id, ErrorKind kind) => new(id, kind, ErrorScope.Item);

    private static ErrorDefinition Command(string id, ErrorKind kind) => new(id, kind, ErrorScope.Command);
}

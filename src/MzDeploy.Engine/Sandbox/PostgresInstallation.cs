namespace MzDeploy.Engine.Sandbox;

/// <summary>A PostgreSQL server installation the sandbox can run: its bin folder and the server's version.</summary>
public sealed record PostgresInstallation(string BinDirectory, Version Version);

/// <summary>
/// A folder looked at while searching for PostgreSQL, with where the search got it from (PATH, pg_config, a well-known
/// folder) and why it was not taken (null when it was). Kept so that "not found" can say what was examined.
/// </summary>
public sealed record PostgresCandidate(string BinDirectory, string Source, Version? Version, string? Rejection);

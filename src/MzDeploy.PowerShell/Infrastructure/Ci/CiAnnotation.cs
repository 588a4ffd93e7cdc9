namespace MzDeploy.PowerShell.Infrastructure.Ci;

/// <summary>An error or warning placed on a file and line of the repository, as CI systems show them on a diff.</summary>
/// <param name="IsError">An error (<c>::error</c>, <c>type=error</c>) rather than a warning.</param>
/// <param name="Message">What is wrong; may hold any character (the dialects escape it).</param>
/// <param name="File">The file relative to the repository root with <c>/</c> separators, or null when the problem has no file.</param>
/// <param name="Line">1-based line, or null.</param>
/// <param name="Column">1-based column, or null.</param>
/// <param name="Code">A stable identifier of the problem (the ErrorId), or null.</param>
internal sealed record CiAnnotation(bool IsError, string Message, string? File = null, int? Line = null, int? Column = null, string? Code = null);

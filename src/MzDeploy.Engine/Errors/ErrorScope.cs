namespace MzDeploy.Engine.Errors;

/// <summary>How much of a command an error stops.</summary>
public enum ErrorScope
{
    /// <summary>The error concerns one deployment or object: a command working through several may go on with the next.</summary>
    Item,

    /// <summary>The error concerns the connection, setup, role, project or configuration: nothing else can succeed, so the command stops.</summary>
    Command,
}

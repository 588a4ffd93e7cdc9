namespace MzDeploy.Engine.Errors;

/// <summary>
/// One error the engine can raise: its stable <paramref name="Id"/> (scripts and tests match on it), what kind of
/// failure it is, and how much of a command it stops. Every definition lives in <see cref="ErrorIds"/>.
/// </summary>
public sealed record ErrorDefinition(string Id, ErrorKind Kind, ErrorScope Scope)
{
    public override string ToString() => Id;
}

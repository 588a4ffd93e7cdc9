using System.Runtime.CompilerServices;

namespace MzDeploy.Engine.Sql;

/// <summary>
/// The bound on the parser's recursion. The parser is recursive descent, so every nesting level of the
/// input (a parenthesis, a function call, a subquery, a CASE, an ARRAY[, a unary operator, a join…) costs
/// stack frames. Without a bound, a deeply nested file overflows the stack, and a .NET stack overflow
/// cannot be caught: it kills the whole PowerShell process. The bound turns that into a positioned
/// syntax error.
/// </summary>
internal sealed partial class Parser
{
    /// <summary>
    /// The deepest nesting a statement may have. Far beyond what people write (generated SQL rarely passes
    /// a few dozen levels). A level costs 0.2 to 2.8 KB of stack (measured on a Release build: nested
    /// window functions and function calls are the costliest), so the deepest statement needs at most about
    /// 560 KB: inside the 1 MB stacks of the threads the parser runs on (thread-pool threads parse project
    /// files in parallel) with room for their callers.
    /// </summary>
    internal const int MaxNestingDepth = 200;

    private int _depth;

    /// <summary>
    /// Enters one nesting level at the current token; the caller leaves it with <see cref="LeaveNesting"/>
    /// in a <c>finally</c>. Besides the fixed bound, checks the real stack, so a thread with an unusually
    /// small stack gets the same error instead of a crash.
    /// </summary>
    /// <exception cref="NestingTooDeepException">The statement nests deeper than <see cref="MaxNestingDepth"/>.</exception>
    private void EnterNesting()
    {
        if (++_depth > MaxNestingDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            _depth--;
            throw new NestingTooDeepException(Current.Span);
        }
    }

    private void LeaveNesting() => _depth--;
}

/// <summary>
/// A statement nests too deeply to parse. Not recoverable: the parser's fallbacks (a group tried as a query,
/// then as an expression) do not retry, since the other reading nests just as deeply.
/// </summary>
internal sealed class NestingTooDeepException : SyntaxException
{
    public NestingTooDeepException(TextSpan span)
        : base($"nesting too deep (more than {Parser.MaxNestingDepth} levels of parentheses, subqueries, function calls, CASE, ARRAY or operators)", span)
    {
    }
}

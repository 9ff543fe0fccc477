namespace SalesIntel.Stages.Errors;

/// <summary>
/// The base of every error SalesIntel raises on purpose. The message is one line a user can act on (it names the
/// value and the fix); <see cref="IsTransient"/> says whether trying again later may succeed.
/// </summary>
public abstract class SalesIntelException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected SalesIntelException(string message, bool isTransient, Exception? inner = null)
        : base(message, inner) => IsTransient = isTransient;

    /// <summary>True when a retry may succeed (throttling, a dropped connection); false for configuration and data problems.</summary>
    public bool IsTransient { get; }
}

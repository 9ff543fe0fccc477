namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>
/// An append attempt that can be tried again: the connection ended or timed out, or the server answered in-band with
/// a retryable code. The appender has already put itself in a state from which the next attempt resends correctly.
/// </summary>
internal sealed class TransientAppendException(string message, Exception? inner = null, TimeSpan? retryAfter = null, bool connectionUsable = false)
    : Exception(message, inner)
{
    /// <summary>The delay the server asked for (RetryInfo), if any.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>True for an in-band error: the connection stays open and the next attempt resends on it.</summary>
    public bool ConnectionUsable { get; } = connectionUsable;
}

namespace SalesIntel.Pipeline.Hosting;

/// <summary>The end state of a run.</summary>
public enum RunStatus
{
    /// <summary>Every selected row was processed (or the <c>--limit</c> was reached) and the output committed.</summary>
    Completed,

    /// <summary>Stopped by a signal: reading stopped, in-flight work finished, and what was finished committed.</summary>
    Stopped,

    /// <summary>Stopped hard (a second signal): in-flight work abandoned, nothing committed by the final commit.</summary>
    Aborted,

    /// <summary>A fatal error; nothing committed by the final commit.</summary>
    Failed,
}

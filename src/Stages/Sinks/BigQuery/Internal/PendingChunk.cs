using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>
/// One chunk: a PENDING stream being filled, then drained, finalized and committed. Each step records its progress,
/// so a commit interrupted by the caller's cancellation resumes at the step it had reached.
/// </summary>
internal sealed class PendingChunk(int number, StreamAppender<Recommendation> appender, DateTimeOffset openedAt)
{
    public int Number { get; } = number;

    public StreamAppender<Recommendation> Appender { get; } = appender;

    public DateTimeOffset OpenedAt { get; } = openedAt;

    /// <summary>Rows handed to the chunk (rejected ones included).</summary>
    public long Rows { get; set; }

    public ChunkStep Step { get; set; } = ChunkStep.Open;

    /// <summary>Fires when the chunk has been open for the commit interval.</summary>
    public ITimer? CommitTimer { get; set; }
}

/// <summary>How far a chunk has come.</summary>
internal enum ChunkStep
{
    Open,
    Drained,
    Finalized,
    Committed,
}

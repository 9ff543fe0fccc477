using SalesIntel.Stages.Model;

namespace SalesIntel.Pipeline.Hosting;

/// <summary>The pipeline's defaults, in one place.</summary>
public static class PipelineDefaults
{
    /// <summary>The <c>--max-rows</c> guard.</summary>
    public const long MaxRows = 1_000_000;

    /// <summary>The <c>--max-bytes</c> guard of BigQuery sources: 10 GB scanned.</summary>
    public const long MaxBytes = 10_000_000_000;

    /// <summary>Rows per sink write.</summary>
    public const int SinkBatchRows = 10_000;

    /// <summary>The allowed rows per sink write.</summary>
    public static readonly Bounds<int> SinkBatchRowsBounds = new(1, 1_000_000);

    /// <summary>Estimated bytes per sink write.</summary>
    public const long SinkBatchBytes = 8L * 1024 * 1024;

    /// <summary>Messages each block may hold beyond its workers: enough to keep workers busy, small enough for flat memory.</summary>
    public const int QueuedMessagesPerWorker = 1;

    /// <summary>
    /// Score workers per <see cref="Stages.Scoring.IScorer.MaxParallelism"/> slot for a scorer whose latency varies
    /// (<see cref="Stages.Scoring.IScorer.LatencyVaries"/>): records waiting in a retry's backoff hold a worker but
    /// not a call slot, so with one worker per slot a few records in backoff would leave call slots idle.
    /// </summary>
    public const int ScoreWorkersPerSlot = 8;

    /// <summary>The most score workers the pipeline starts, whatever the scorer asks for.</summary>
    public const int MaxScoreWorkers = 4096;
}

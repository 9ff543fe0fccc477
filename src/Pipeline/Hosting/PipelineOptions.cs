using SalesIntel.Stages.Model;

namespace SalesIntel.Pipeline.Hosting;

/// <summary>The run-level settings the Dataflow wiring needs; validated by the CLI before a pipeline is built.</summary>
public sealed record PipelineOptions
{
    /// <summary>The partition filter. Defaults to none: the CLI refuses a run without dates unless --all-dates.</summary>
    public required DateRange Dates { get; init; }

    /// <summary>Score at most this many accounts, then stop reading (<c>--limit</c>). Null for no limit.</summary>
    public long? Limit { get; init; }

    /// <summary>Stop the run, publishing nothing, when the selected rows exceed this (<c>--max-rows</c>). Defaults to 1,000,000.</summary>
    public long MaxRows { get; init; } = PipelineDefaults.MaxRows;

    /// <summary>Decoding workers. Defaults to the processor count.</summary>
    public int DecodeParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Rows per sink write. Defaults to 10,000.</summary>
    public int SinkBatchRows { get; init; } = PipelineDefaults.SinkBatchRows;

    /// <summary>Estimated bytes per sink write. Defaults to 8 MB (under BigQuery's 20 MB AppendRows limit with room to spare).</summary>
    public long SinkBatchBytes { get; init; } = PipelineDefaults.SinkBatchBytes;

    /// <summary>
    /// Accounts whose recommendation for the date is already committed at the sink (a re-run or a task retry): they are
    /// read and counted as skipped (<c>already_committed</c>), not scored. Defaults to none.
    /// </summary>
    public IReadOnlySet<(string AccountId, DateOnly ScoreDate)>? AlreadyCommitted { get; init; }

    /// <summary>When set, every record gets its material hash (carry-forward). Defaults to none.</summary>
    public SalesIntel.Stages.CarryForward.MaterialHashSettings? MaterialHash { get; init; }

    /// <summary>The drift gate: nothing reaches the sink before it decides. Defaults to none (off).</summary>
    public SalesIntel.Stages.Drift.DriftGate? Drift { get; init; }
}

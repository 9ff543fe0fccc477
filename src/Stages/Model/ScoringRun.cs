namespace SalesIntel.Stages.Model;

/// <summary>One row of the run ledger (<see cref="ScoringRunsTable"/>): what one task attempt of a run did.</summary>
public sealed record ScoringRun
{
    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>CLOUD_RUN_EXECUTION, or null outside Cloud Run.</summary>
    public string? Execution { get; init; }

    /// <summary>CLOUD_RUN_TASK_INDEX; 0 outside Cloud Run.</summary>
    public int TaskIndex { get; init; }

    /// <summary>CLOUD_RUN_TASK_COUNT; 1 outside Cloud Run.</summary>
    public int TaskCount { get; init; } = 1;

    /// <summary>CLOUD_RUN_TASK_ATTEMPT; 0 for the first attempt.</summary>
    public int TaskAttempt { get; init; }

    /// <summary>The partition filter, as the summary prints it.</summary>
    public required string Dates { get; init; }

    /// <summary>The source description.</summary>
    public required string Source { get; init; }

    /// <summary>The sink description.</summary>
    public required string Sink { get; init; }

    /// <summary>The scorer.</summary>
    public required string Scorer { get; init; }

    /// <summary>The model requested, for a model scorer.</summary>
    public string? Model { get; init; }

    /// <summary>The model versions that answered, comma-separated, when known.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>The prompt version, for a model scorer.</summary>
    public string? PromptVersion { get; init; }

    /// <summary>How the run ended (completed, stopped, aborted, failed).</summary>
    public required string Status { get; init; }

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; init; }

    /// <summary>Rows read.</summary>
    public long Read { get; init; }

    /// <summary>Recommendations produced.</summary>
    public long Scored { get; init; }

    /// <summary>Rows committed by the sink.</summary>
    public long Written { get; init; }

    /// <summary>Rows deliberately not scored.</summary>
    public long Skipped { get; init; }

    /// <summary>Rows dead-lettered.</summary>
    public long DeadLettered { get; init; }

    /// <summary>Accounts carried forward unchanged, when carry-forward was on.</summary>
    public long? CarriedForward { get; init; }

    /// <summary>Prompt tokens.</summary>
    public long InputTokens { get; init; }

    /// <summary>Answer tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Thinking tokens, for a model that reports them.</summary>
    public long? ThinkingTokens { get; init; }

    /// <summary>Estimated cost in US dollars, when a price is known.</summary>
    public double? CostUsd { get; init; }

    /// <summary>Median model call latency.</summary>
    public long? LatencyP50Ms { get; init; }

    /// <summary>90th percentile model call latency.</summary>
    public long? LatencyP90Ms { get; init; }

    /// <summary>99th percentile model call latency.</summary>
    public long? LatencyP99Ms { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run ended.</summary>
    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>The one-line error of a failed run.</summary>
    public string? Error { get; init; }
}

using SalesIntel.Pipeline.Cli;
using SalesIntel.Pipeline.Composition;
using SalesIntel.Stages.Scoring.Gemini;

namespace SalesIntel.Pipeline.Doctor;

/// <summary>
/// What the checks share: the run's validated settings and stage factory (read exactly as <c>score</c> reads them),
/// and the facts earlier checks found for later ones (the source's row estimate, the canary's tokens and cost),
/// so the projections are made from the same numbers the checks printed.
/// </summary>
public sealed class DoctorContext
{
    /// <summary>Creates the context.</summary>
    public DoctorContext(ScoreSettings settings, StageFactory factory, Func<string, string?> environment, TimeProvider time, long maxBytes, int taskCount)
    {
        Settings = settings;
        Factory = factory;
        Environment = environment;
        Time = time;
        MaxBytes = maxBytes;
        TaskCount = taskCount;
    }

    /// <summary>The run-level settings.</summary>
    public ScoreSettings Settings { get; }

    /// <summary>Builds the run's source, scorer and sink.</summary>
    public StageFactory Factory { get; }

    /// <summary>The environment the run reads.</summary>
    public Func<string, string?> Environment { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>The byte guard of BigQuery sources (<c>--max-bytes</c>).</summary>
    public long MaxBytes { get; }

    /// <summary>The Cloud Run tasks of the execution (CLOUD_RUN_TASK_COUNT, else 1).</summary>
    public int TaskCount { get; }

    /// <summary>The Gemini scorer's options, or null for the rules scorer.</summary>
    public GeminiScorerOptions? Gemini => Factory.GeminiOptions;

    /// <summary>True when the source is a BigQuery table.</summary>
    public bool BigQuerySource => IsTable(Settings.Source);

    /// <summary>True when the sink is a BigQuery table.</summary>
    public bool BigQuerySink => IsTable(Settings.Sink);

    /// <summary>The rows this task will read, as the source check found them (null when unknown).</summary>
    public long? SourceRows { get; set; }

    /// <summary>What the model's canary call proved (null when it did not answer or the scorer is not gemini).</summary>
    public GeminiCanaryResult? Canary { get; set; }

    private static bool IsTable(string location) => location.StartsWith("bq://", StringComparison.OrdinalIgnoreCase);
}

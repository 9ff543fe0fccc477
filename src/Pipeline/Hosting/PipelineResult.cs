using SalesIntel.Stages.Sinks;

namespace SalesIntel.Pipeline.Hosting;

/// <summary>How a pipeline run ended.</summary>
/// <param name="Status">Completed, stopped (graceful: drained and committed) or failed/aborted (nothing committed by this run's final commit).</param>
/// <param name="Failure">The first real error, for <see cref="RunStatus.Failed"/>.</param>
/// <param name="Sink">What the sink committed, when it got that far.</param>
public sealed record PipelineResult(RunStatus Status, Exception? Failure, SinkResult? Sink);

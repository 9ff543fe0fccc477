using SalesIntel.Pipeline.Cli;
using SalesIntel.Stages.GoogleApis.BigQuery;

namespace SalesIntel.Pipeline.Doctor.Checks;

/// <summary>
/// Project: the projects the run bills and writes to, as <c>score</c> reads them (the Gemini scorer's
/// <c>--project</c> / GOOGLE_CLOUD_PROJECT, the source's billing project, the sink table's project). A missing project
/// for the Gemini scorer is a bad option and ends doctor with exit 2, as it ends <c>score</c>.
/// </summary>
public sealed class ProjectCheck(SettingsReader reader) : IDoctorCheck
{
    /// <inheritdoc />
    public string Name => "project";

    /// <inheritdoc />
    public ValueTask<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var uses = new List<string>();
        if (context.Gemini is { Project: { } project })
        {
            uses.Add($"Vertex AI calls billed to '{project}' ({reader.Describe(GeminiCliOptions.Project)})");
        }

        if (context.BigQuerySource && BigQueryTableReference.TryParse(context.Settings.Source, out var source, out _))
        {
            var billing = reader.Get(ScoreOptions.BillingProject);
            uses.Add($"BigQuery reads billed to '{billing ?? source.ProjectId}' ({(billing is null ? "the source table's project" : reader.Describe(ScoreOptions.BillingProject))})");
        }

        if (context.BigQuerySink && BigQueryTableReference.TryParse(context.Settings.Sink, out var sink, out _))
        {
            uses.Add($"recommendations written to project '{sink.ProjectId}'");
        }

        return ValueTask.FromResult(uses.Count == 0
            ? DoctorCheckResult.Ok("none needed: the run calls no Google API")
            : DoctorCheckResult.Ok(string.Join("; ", uses)));
    }
}

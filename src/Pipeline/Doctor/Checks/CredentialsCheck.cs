using SalesIntel.Stages.Errors;
using SalesIntel.Stages.GoogleApis;
using SalesIntel.Stages.Scoring.Gemini;
using SalesIntel.Stages.Sources.BigQuery;

namespace SalesIntel.Pipeline.Doctor.Checks;

/// <summary>
/// Credentials: which Google services the run calls, whether they are emulated (no credentials needed) and, for the
/// real ones, whose Application Default Credentials would be used.
/// </summary>
public sealed class CredentialsCheck : IDoctorCheck
{
    /// <inheritdoc />
    public string Name => "credentials";

    /// <inheritdoc />
    public ValueTask<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var services = new List<(string Service, string Variable)>();
        if (context.BigQuerySource || context.BigQuerySink)
        {
            services.Add(("BigQuery Storage", BigQuerySourceOptions.EmulatorVariable));
        }

        if (context.Gemini is not null)
        {
            services.Add(("Vertex AI", GeminiScorerOptions.EmulatorVariable));
        }

        if (services.Count == 0)
        {
            return Done(DoctorCheckResult.Ok("none needed: the run calls no Google API (file source and sink, rules scorer)"));
        }

        var real = services.Where(s => string.IsNullOrWhiteSpace(context.Environment(s.Variable))).ToList();
        if (real.Count == 0)
        {
            return Done(DoctorCheckResult.Ok($"emulator, no credentials ({string.Join(", ", services.Select(s => $"{s.Service} at {context.Environment(s.Variable)}"))})"));
        }

        try
        {
            var who = GoogleIdentity.Describe(context.Environment);
            var emulated = services.Except(real).Select(s => $"; {s.Service} emulated at {context.Environment(s.Variable)}");
            return Done(DoctorCheckResult.Ok($"{string.Join(" and ", real.Select(s => s.Service))} will be called as {who}{string.Concat(emulated)}"));
        }
        catch (ConfigurationException e)
        {
            return Done(DoctorCheckResult.Fail(e.Message, GoogleFixHints.Credentials));
        }
    }

    private static ValueTask<DoctorCheckResult> Done(DoctorCheckResult result) => ValueTask.FromResult(result);
}

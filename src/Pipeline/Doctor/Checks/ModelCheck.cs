using System.Globalization;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Scoring.Gemini;

namespace SalesIntel.Pipeline.Doctor.Checks;

/// <summary>
/// Model: known to the model catalog, not retired (fail), not within <see cref="GeminiModelCatalog.WarningDays"/> days of
/// retirement (warn), and accepting the run's exact request. The last is the scorer's own preflight canary
/// (<see cref="GeminiScorer.CanaryAsync"/>) on the scorer the run would build, so doctor proves what the run sends.
/// </summary>
public sealed class ModelCheck : IDoctorCheck
{
    /// <inheritdoc />
    public string Name => "model";

    /// <inheritdoc />
    public async ValueTask<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (context.Gemini is not { } options)
        {
            return DoctorCheckResult.Ok($"none needed ({context.Settings.Scorer} scorer)");
        }

        GeminiScorer scorer;
        try
        {
            // The scorer applies the catalog's lifecycle rules when it is built: a retired model is refused here.
            scorer = (GeminiScorer)context.Factory.CreateScorer();
        }
        catch (ConfigurationException e)
        {
            return DoctorCheckResult.Fail(e.Message, Replacement(options));
        }

        await using (scorer)
        {
            GeminiCanaryResult canary;
            try
            {
                canary = await scorer.CanaryAsync(cancellationToken);
            }
            catch (ScorerException e)
            {
                return DoctorCheckResult.Fail($"the canary request (the run's exact request on a synthetic account) failed: {e.Message}");
            }

            context.Canary = canary;
            var proof = string.Create(CultureInfo.InvariantCulture,
                $"{scorer.ModelPath} answered the run's exact request (served by {canary.ModelVersion}, {canary.Tokens:N0} tokens, {canary.Latency.TotalSeconds:0.0} s)");
            if (canary.AnswerProblem is { } problem)
            {
                proof += $"; its answer would not have been usable ({problem})";
            }

            return scorer.ModelWarnings.Count > 0
                ? DoctorCheckResult.Warn($"{string.Join("; ", scorer.ModelWarnings)}; {proof}", Replacement(options))
                : canary.AnswerProblem is not null
                    ? DoctorCheckResult.Warn(proof, "check the prompt file (--prompt-file) and the model's answers before the nightly run")
                    : DoctorCheckResult.Ok(proof);
        }
    }

    /// <summary>The fix for a retired or retiring model: the catalog's named replacement, else its default model.</summary>
    private static string? Replacement(GeminiScorerOptions options)
    {
        try
        {
            var catalog = GeminiModelCatalog.Load(options.ModelCatalogFile);
            var model = options.Model ?? catalog.DefaultModel;
            var instead = catalog.Find(model)?.Replacement ?? (string.Equals(model, catalog.DefaultModel, StringComparison.OrdinalIgnoreCase) ? null : catalog.DefaultModel);
            return instead is null ? null : $"set --model (or LLM_MODEL) to {instead}";
        }
        catch (ConfigurationException)
        {
            // The catalog itself is the problem; the failure's message already says so.
            return null;
        }
    }
}

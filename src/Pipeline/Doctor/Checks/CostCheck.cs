using System.Globalization;

namespace SalesIntel.Pipeline.Doctor.Checks;

/// <summary>
/// Cost: the canary's cost (catalog prices times the tokens of the run's exact request) times this task's rows,
/// against <c>--max-cost</c>, before carry-forward (which only lowers it).
/// </summary>
public sealed class CostCheck : IDoctorCheck
{
    /// <inheritdoc />
    public string Name => "cost";

    /// <inheritdoc />
    public ValueTask<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Project(context));
    }

    private static DoctorCheckResult Project(DoctorContext context)
    {
        if (context.Gemini is not { } options)
        {
            return DoctorCheckResult.Ok($"no model cost ({context.Settings.Scorer} scorer)");
        }

        if (context.Canary is not { } canary || context.SourceRows is not { } rows)
        {
            return DoctorCheckResult.Warn("unknown: needs the model's canary answer and the source's rows (see those checks)");
        }

        if (canary.CostUsd is not { } each)
        {
            return DoctorCheckResult.Warn($"unknown: no price for the model in the catalog", "add \"prices\" for it to a --model-catalog file");
        }

        var total = each * rows;
        var what = string.Create(CultureInfo.InvariantCulture, $"about ${total:0.00} for {rows:N0} accounts ({canary.Tokens:N0} tokens, ${each:0.000000} each, before carry-forward)");
        if (options.MaxCostUsd is not { } max)
        {
            return DoctorCheckResult.Ok(what + "; no --max-cost set");
        }

        what += string.Create(CultureInfo.InvariantCulture, $"; --max-cost is ${max:0.00}");
        return total <= max
            ? DoctorCheckResult.Ok(what)
            : DoctorCheckResult.Fail(what + ": the run would stop calling the model and leave accounts not scored",
                string.Create(CultureInfo.InvariantCulture, $"raise --max-cost to {Math.Ceiling(total * 1.1m):0} or narrow the dates"));
    }
}

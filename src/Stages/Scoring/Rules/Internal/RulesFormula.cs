using System.Globalization;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Scoring.Rules;

/// <summary>The score formula (docs/RULES_SCORER.md): weighted signal groups in [0, 1], a lifecycle factor, and the rationale.</summary>
internal static class RulesFormula
{
    public const double EngagementWeight = 25;
    public const double IntentWeight = 20;
    public const double PipelineWeight = 20;
    public const double FitWeight = 15;
    public const double HealthWeight = 20;

    /// <summary>The signals the formula reads; confidence is the share of them present.</summary>
    private const int SignalCount = 10;

    public static RulesEvaluation Evaluate(AccountSignals s)
    {
        var present = 0;
        var daysSinceActivity = s.LastActivityAt is { } at ? Math.Max(0, s.SnapshotDate.DayNumber - DateOnly.FromDateTime(at.UtcDateTime).DayNumber) : (int?)null;
        var daysSinceMeeting = s.LastMeetingDate is { } m ? Math.Max(0, s.SnapshotDate.DayNumber - m.DayNumber) : (int?)null;
        present += Count(daysSinceActivity) + Count(daysSinceMeeting) + Count(s.IntentScore) + Count(s.WebVisits30d) + Count(s.OpenOpportunities)
            + Count(s.PipelineAmount) + Count(s.EmployeeCount) + Count(s.AnnualRevenue) + Count(s.ProductUsageTrend) + Count(s.SupportTicketsOpen);

        // Engagement: activity decays linearly to zero at 90 days; a meeting in the last 30 days adds up to a quarter.
        var activity = daysSinceActivity is { } d ? Clamp01(1 - ((d - 7) / 83.0)) : 0;
        var meeting = daysSinceMeeting is { } dm && dm <= 30 ? 1 - (dm / 30.0) : 0;
        var engagement = Clamp01((0.75 * activity) + (0.25 * meeting));

        var intent = Clamp01((0.7 * Clamp01((s.IntentScore ?? 0) / 100)) + (0.3 * Log01(s.WebVisits30d, 3)));
        var pipeline = Clamp01((0.5 * Clamp01((s.OpenOpportunities ?? 0) / 3.0)) + (0.5 * Log01(s.PipelineAmount, 6)));
        var fit = Clamp01((0.5 * Log01(s.EmployeeCount, 4)) + (0.5 * Log01(s.AnnualRevenue, 9)));

        // Product health only means something for customers; prospects sit at neutral, churned accounts low.
        var stage = Stage(s.LifecycleStage);
        var health = stage switch
        {
            LifecycleStage.Customer => Clamp01(0.5 + (s.ProductUsageTrend ?? 0) - (0.08 * Math.Min(5, s.SupportTicketsOpen ?? 0))),
            LifecycleStage.Churned => 0.2,
            _ => 0.5,
        };

        // Points per group; the evidence text is built only for the three groups the rationale names.
        Span<double> points =
        [
            EngagementWeight * engagement,
            IntentWeight * intent,
            PipelineWeight * pipeline,
            FitWeight * fit,
            HealthWeight * health,
        ];
        var raw = points[0] + points[1] + points[2] + points[3] + points[4];
        var factor = stage == LifecycleStage.Churned ? 0.6 : 1.0;
        var score = (int)Math.Round(Math.Clamp(raw * factor, 0, 100), MidpointRounding.AwayFromZero);
        var (first, second, weakest) = Rank(points);
        var rationale = $"Score {score} ({Tiers.ForScore(score)}): strongest signals are {GroupNames[first]} ({Evidence(first, s, stage, daysSinceActivity)}) and {GroupNames[second]} ({Evidence(second, s, stage, daysSinceActivity)}); weakest is {GroupNames[weakest]} ({Evidence(weakest, s, stage, daysSinceActivity)}).";
        if (stage == LifecycleStage.Churned)
        {
            rationale += " Churned accounts are scored at 60%.";
        }

        var confidence = Math.Round(0.4 + (0.6 * present / SignalCount), 2);
        return new RulesEvaluation(score, rationale, confidence, stage, daysSinceActivity);
    }

    /// <summary>Group names in index order; ties between groups resolve alphabetically (the order below is alphabetical by name).</summary>
    private static readonly string[] GroupNames = ["engagement", "intent", "pipeline", "fit", "product health"];

    /// <summary>Indexes of the two largest and the smallest contributions; ties go to the alphabetically first name.</summary>
    private static (int First, int Second, int Weakest) Rank(ReadOnlySpan<double> points)
    {
        int first = -1, second = -1, weakest = -1;
        for (var i = 0; i < points.Length; i++)
        {
            if (first < 0 || Beats(points, i, first))
            {
                second = first;
                first = i;
            }
            else if (second < 0 || Beats(points, i, second))
            {
                second = i;
            }

            if (weakest < 0 || points[i] < points[weakest] || (points[i] == points[weakest] && string.CompareOrdinal(GroupNames[i], GroupNames[weakest]) < 0))
            {
                weakest = i;
            }
        }

        return (first, second, weakest);
    }

    private static bool Beats(ReadOnlySpan<double> points, int i, int j) =>
        points[i] > points[j] || (points[i] == points[j] && string.CompareOrdinal(GroupNames[i], GroupNames[j]) < 0);

    private static string Evidence(int group, AccountSignals s, LifecycleStage stage, int? daysSinceActivity) => group switch
    {
        0 => daysSinceActivity is { } da ? $"last activity {da} days ago" : "no recorded activity",
        1 => $"intent score {Format(s.IntentScore)} with {s.WebVisits30d ?? 0} web visits in 30 days",
        2 => $"{s.OpenOpportunities ?? 0} open opportunities worth {Money(s.PipelineAmount)}",
        3 => $"{s.EmployeeCount?.ToString(CultureInfo.InvariantCulture) ?? "unknown"} employees, revenue {Money(s.AnnualRevenue)}",
        _ => stage == LifecycleStage.Customer
            ? $"usage trend {Percent(s.ProductUsageTrend)} and {s.SupportTicketsOpen ?? 0} open tickets"
            : $"lifecycle stage {s.LifecycleStage ?? "unknown"}",
    };

    public static LifecycleStage Stage(string? lifecycle) => lifecycle?.Trim().ToLowerInvariant() switch
    {
        "customer" => LifecycleStage.Customer,
        "churned" => LifecycleStage.Churned,
        "prospect" => LifecycleStage.Prospect,
        _ => LifecycleStage.Unknown,
    };

    public static string Money(double? amount) => amount switch
    {
        null => "unknown",
        >= 1_000_000 => $"${amount / 1_000_000:0.#}M",
        >= 1_000 => $"${amount / 1_000:0.#}k",
        _ => $"${amount:0}",
    };

    public static string Percent(double? ratio) => ratio is null ? "unknown" : $"{ratio * 100:+0;-0;0}%";

    private static string Format(double? d) => d?.ToString("0.#", CultureInfo.InvariantCulture) ?? "unknown";

    private static int Count<T>(T? value)
        where T : struct => value.HasValue ? 1 : 0;

    /// <summary>log10(1 + x) scaled so that 10^decades maps to 1.</summary>
    private static double Log01(double? x, double decades) => x is { } v && v > 0 ? Clamp01(Math.Log10(1 + v) / decades) : 0;

    private static double Log01(long? x, double decades) => Log01((double?)x, decades);

    private static double Clamp01(double x) => double.IsNaN(x) ? 0 : Math.Clamp(x, 0, 1);
}

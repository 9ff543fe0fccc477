using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Scoring.Rules;

/// <summary>The next-best-action rules, in priority order; the first three that apply are recommended (at least one always does).</summary>
internal static class RulesActions
{
    public static IReadOnlyList<string> For(AccountSignals s, RulesEvaluation e)
    {
        var actions = new List<string>(3);
        void Add(bool when, Func<string> action)
        {
            if (when && actions.Count < 3)
            {
                actions.Add(action());
            }
        }

        var daysToRenewal = s.RenewalDate is { } r ? r.DayNumber - s.SnapshotDate.DayNumber : (int?)null;
        Add(e.Stage == LifecycleStage.Customer && daysToRenewal is >= 0 and <= 90, () => $"Prepare the renewal due {s.RenewalDate:yyyy-MM-dd}: confirm stakeholders and run a value review");
        Add(e.Stage == LifecycleStage.Customer && s.ProductUsageTrend is < -0.1, () => $"Run a product health check: usage is {RulesFormula.Percent(s.ProductUsageTrend)}");
        Add(s.SupportTicketsOpen is >= 3, () => $"Escalate the {s.SupportTicketsOpen} open support tickets with the account's CSM");
        Add(e.Stage == LifecycleStage.Churned, () => "Start a win-back sequence referencing what changed since they left");
        Add(s.OpenOpportunities is > 0, () => $"Advance the {s.OpenOpportunities} open opportunities ({RulesFormula.Money(s.PipelineAmount)} pipeline) to the next stage");
        Add(e.Stage != LifecycleStage.Customer && s.IntentScore is >= 70, () => s.IntentTopics.Count > 0
            ? $"Reach out on their intent topics: {string.Join(", ", s.IntentTopics.Take(3))}"
            : "Reach out while intent is high");
        Add(e.DaysSinceActivity is null or > 30, () => e.DaysSinceActivity is { } d ? $"Re-engage: no activity for {d} days" : "Re-engage: no activity on record");
        Add(actions.Count == 0, () => e.Score >= 60 ? "Book an executive check-in to expand the relationship" : "Keep in a quarterly nurture sequence");
        return actions;
    }
}

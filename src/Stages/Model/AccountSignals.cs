namespace SalesIntel.Stages.Model;

/// <summary>
/// The typed view of one <c>account_signals</c> row that scorers read. Money columns are doubles here because they
/// only feed a formula; the exact NUMERIC digits travel in the canonical JSON.
/// </summary>
public sealed class AccountSignals
{
    /// <summary>The account key; never empty.</summary>
    public required string AccountId { get; init; }

    /// <summary>The partition the row came from; becomes the recommendation's score_date.</summary>
    public required DateOnly SnapshotDate { get; init; }

    /// <summary>Display name.</summary>
    public string? AccountName { get; init; }

    /// <summary>Industry.</summary>
    public string? Industry { get; init; }

    /// <summary>prospect | customer | churned (other values are kept as given).</summary>
    public string? LifecycleStage { get; init; }

    /// <summary>Headcount.</summary>
    public long? EmployeeCount { get; init; }

    /// <summary>Annual revenue.</summary>
    public double? AnnualRevenue { get; init; }

    /// <summary>Annual recurring revenue with us.</summary>
    public double? Arr { get; init; }

    /// <summary>Open opportunities.</summary>
    public long? OpenOpportunities { get; init; }

    /// <summary>Open pipeline amount.</summary>
    public double? PipelineAmount { get; init; }

    /// <summary>Last recorded activity, UTC.</summary>
    public DateTimeOffset? LastActivityAt { get; init; }

    /// <summary>Date of the last meeting.</summary>
    public DateOnly? LastMeetingDate { get; init; }

    /// <summary>Contract renewal date.</summary>
    public DateOnly? RenewalDate { get; init; }

    /// <summary>Website visits in the last 30 days.</summary>
    public long? WebVisits30d { get; init; }

    /// <summary>Third-party intent score, 0-100.</summary>
    public double? IntentScore { get; init; }

    /// <summary>Intent topics.</summary>
    public IReadOnlyList<string> IntentTopics { get; init; } = [];

    /// <summary>Product usage trend, e.g. -0.3 for a 30% drop.</summary>
    public double? ProductUsageTrend { get; init; }

    /// <summary>Open support tickets.</summary>
    public long? SupportTicketsOpen { get; init; }
}

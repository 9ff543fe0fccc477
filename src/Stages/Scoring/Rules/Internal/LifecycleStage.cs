namespace SalesIntel.Stages.Scoring.Rules;

/// <summary>The lifecycle stages the formula distinguishes.</summary>
internal enum LifecycleStage
{
    Unknown,
    Prospect,
    Customer,
    Churned,
}

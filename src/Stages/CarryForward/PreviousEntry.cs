namespace SalesIntel.Stages.CarryForward;

/// <summary>What the index knows about an account's latest earlier recommendation without reading the row.</summary>
/// <param name="MaterialKey">The first 64 bits of its material hash.</param>
/// <param name="ScoreDate">The score_date it was written for.</param>
/// <param name="ScoredDate">The date it was actually scored: <c>carried_from</c> when it was itself carried, else its score_date.</param>
/// <param name="Offset">Where the full row is in the spill file.</param>
public readonly record struct PreviousEntry(ulong MaterialKey, DateOnly ScoreDate, DateOnly ScoredDate, long Offset);

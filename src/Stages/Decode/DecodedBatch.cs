using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Decode;

/// <summary>The result of decoding one source batch: good records, dead letters, and rows outside the date filter.</summary>
/// <param name="Records">Rows ready to score.</param>
/// <param name="DeadLetters">Rows rejected by the source or the decoder, with reasons.</param>
/// <param name="OutsideDateFilter">Rows skipped because their snapshot_date is not selected.</param>
public sealed record DecodedBatch(AccountRecord[] Records, IReadOnlyList<DeadLetter> DeadLetters, int OutsideDateFilter);

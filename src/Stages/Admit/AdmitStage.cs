using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks.DeadLetters;

namespace SalesIntel.Stages.Admit;

/// <summary>
/// Decides which decoded records go on to scoring, one batch at a time and in source order: it records the batch's
/// dead letters, applies the per-record <see cref="AdmitOptions.Rules"/> (resume skip and the like), cuts the run at
/// <c>--limit</c>, counts what was read, applies the <see cref="RowGuard"/>, and re-chunks the admitted records to the
/// scorer's preferred batch size. Not thread-safe: the pipeline calls it from one worker, which keeps <c>--limit</c>
/// exact and the order stable.
/// </summary>
public sealed class AdmitStage
{
    private readonly AdmitOptions _options;
    private readonly RunCounters _counters;
    private readonly IDeadLetterWriter _deadLetters;
    private long _admitted;

    /// <summary>Creates the stage; <paramref name="counters"/> and <paramref name="deadLetters"/> are the run's.</summary>
    public AdmitStage(AdmitOptions options, RunCounters counters, IDeadLetterWriter deadLetters)
    {
        _options = options;
        _counters = counters;
        _deadLetters = deadLetters;
    }

    /// <summary>True once <c>--limit</c> accounts have been admitted; the caller should stop reading.</summary>
    public bool LimitReached { get; private set; }

    /// <summary>
    /// Admits one decoded batch and returns the records to score, in chunks. Throws
    /// <see cref="Errors.GuardTrippedException"/> when the rows read go over the guard.
    /// </summary>
    public IReadOnlyList<AccountRecord[]> Process(DecodedBatch batch)
    {
        _counters.AddOutsideDateFilter(batch.OutsideDateFilter);
        if (batch.DeadLetters.Count > 0)
        {
            _counters.AddRead(batch.DeadLetters.Count);
            _deadLetters.Write(batch.DeadLetters);
            _counters.AddDeadLetters(batch.DeadLetters);
        }

        var records = ApplyRules(batch.Records);
        if (_options.Guard.Limit is { } limit)
        {
            var room = limit - _admitted;
            if (room <= records.Length)
            {
                records = records[..(int)Math.Max(0, room)];
                LimitReached = true;
            }
        }

        _admitted += records.Length;
        _counters.AddRead(records.Length);
        _options.Guard.CheckRead(_counters.Read, _options.Dates);

        var size = Math.Max(1, _options.ChunkSize);
        var chunks = new List<AccountRecord[]>((records.Length + size - 1) / size);
        for (var start = 0; start < records.Length; start += size)
        {
            chunks.Add(records[start..Math.Min(records.Length, start + size)]);
        }

        return chunks;
    }

    private AccountRecord[] ApplyRules(AccountRecord[] records)
    {
        if (_options.Rules.Count == 0)
        {
            return records;
        }

        var admitted = new List<AccountRecord>(records.Length);
        foreach (var record in records)
        {
            if (SkipReason(record) is { } reason)
            {
                // Skipped records were read: they count in the books (read = written + skipped + dead-lettered).
                _counters.AddRead(1);
                _counters.AddSkipped(reason);
            }
            else
            {
                admitted.Add(record);
            }
        }

        return admitted.Count == records.Length ? records : [.. admitted];
    }

    private string? SkipReason(AccountRecord record)
    {
        foreach (var rule in _options.Rules)
        {
            if (rule.SkipReason(record) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }
}

namespace SalesIntel.Stages.Model;

/// <summary>
/// The run's tallies, updated by the pipeline blocks from several threads. At the end of every run the books must
/// balance: read = written + skipped + dead-lettered (+ abandoned, which only a failed or hard-stopped run has).
/// </summary>
public sealed class RunCounters
{
    private long _read;
    private long _outsideDateFilter;
    private long _scored;
    private long _written;
    private long _skipped;
    private long _notScored;
    private long _deadLettered;
    private long _sinkRejected;
    private readonly Dictionary<string, long> _skipReasons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _deadLetterReasons = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Rows the source produced within the date filter, good or bad.</summary>
    public long Read => Interlocked.Read(ref _read);

    /// <summary>Rows of the input outside the selected dates (files hold every date); not part of <see cref="Read"/>.</summary>
    public long OutsideDateFilter => Interlocked.Read(ref _outsideDateFilter);

    /// <summary>Recommendations produced by the scorer.</summary>
    public long Scored => Interlocked.Read(ref _scored);

    /// <summary>Rows the sink committed.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Rows deliberately not scored (budgets, already done).</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Rows sent to the dead letters, from any stage.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Of <see cref="DeadLettered"/>, the rows the sink rejected.</summary>
    public long SinkRejected => Interlocked.Read(ref _sinkRejected);

    /// <summary>Rows read but neither written, skipped nor dead-lettered: in flight when a run failed or was stopped hard.</summary>
    public long Abandoned => Read - Written - Skipped - DeadLettered;

    /// <summary>Skip counts by reason.</summary>
    public IReadOnlyDictionary<string, long> SkipReasons
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, long>(_skipReasons);
            }
        }
    }

    /// <summary>Dead-letter counts by reason.</summary>
    public IReadOnlyDictionary<string, long> DeadLetterReasons
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, long>(_deadLetterReasons);
            }
        }
    }

    /// <summary>Counts rows read (within the date filter).</summary>
    public void AddRead(long rows) => Interlocked.Add(ref _read, rows);

    /// <summary>Counts rows outside the date filter (not read).</summary>
    public void AddOutsideDateFilter(long rows) => Interlocked.Add(ref _outsideDateFilter, rows);

    /// <summary>Counts rows scored.</summary>
    public void AddScored(long rows) => Interlocked.Add(ref _scored, rows);

    /// <summary>Counts rows the sink committed.</summary>
    public void AddWritten(long rows) => Interlocked.Add(ref _written, rows);

    /// <summary>
    /// Accounts admitted for scoring that the scorer left unscored (a budget reached, the model stopped answering):
    /// counted in <see cref="Skipped"/> too, and what a rerun with the same settings still has to score.
    /// </summary>
    public long NotScored => Interlocked.Read(ref _notScored);

    /// <summary>Counts an account the scorer left unscored for <paramref name="reason"/> (also a skip).</summary>
    public void AddNotScored(string reason)
    {
        Interlocked.Increment(ref _notScored);
        AddSkipped(reason);
    }

    /// <summary>Counts rows skipped for <paramref name="reason"/>.</summary>
    public void AddSkipped(string reason, long rows = 1)
    {
        Interlocked.Add(ref _skipped, rows);
        lock (_gate)
        {
            _skipReasons[reason] = _skipReasons.GetValueOrDefault(reason) + rows;
        }
    }

    /// <summary>Counts dead letters by reason; <paramref name="fromSink"/> marks rows the sink rejected.</summary>
    public void AddDeadLetters(IReadOnlyCollection<DeadLetter> letters, bool fromSink = false)
    {
        if (letters.Count == 0)
        {
            return;
        }

        Interlocked.Add(ref _deadLettered, letters.Count);
        if (fromSink)
        {
            Interlocked.Add(ref _sinkRejected, letters.Count);
        }

        lock (_gate)
        {
            foreach (var d in letters)
            {
                _deadLetterReasons[d.Reason] = _deadLetterReasons.GetValueOrDefault(d.Reason) + 1;
            }
        }
    }
}

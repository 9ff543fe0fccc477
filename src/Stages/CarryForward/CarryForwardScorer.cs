using SalesIntel.Stages.Model;
using SalesIntel.Stages.Scoring;

namespace SalesIntel.Stages.CarryForward;

/// <summary>
/// Wraps the run's scorer: an account whose material hash equals that of its latest earlier recommendation, scored
/// within the window, is not sent to the scorer; its recommendation is written again for today's score date with
/// <c>carried_from</c> and zero tokens and latency. Every fresh answer of the scorer itself gets the record's material
/// hash, so a later run can carry it (fallback answers do not: they are not what the configured scorer would say).
/// </summary>
public sealed class CarryForwardScorer : IScorer, IReportsMetrics, IStopsEarly
{
    private readonly IScorer _inner;
    private readonly PreviousRecommendationIndex? _index;
    private readonly int _windowDays;
    private readonly string _runId;
    private readonly bool _carry;
    private long _carried;
    private long _changed;
    private long _expired;
    private long _unknown;
    private long _freshScored;

    /// <summary>The default carry-forward window in days (<c>--carry-forward-days</c>).</summary>
    public const int DefaultWindowDays = 7;

    /// <summary>The allowed window: 0 (off) up to a year and a day.</summary>
    public static readonly Bounds<int> WindowDaysBounds = new(0, 366);

    /// <summary>Creates the wrapper.</summary>
    /// <param name="inner">The scorer that answers what cannot be carried.</param>
    /// <param name="index">The earlier recommendations, or null when carry-forward is off (rows still get their material hash).</param>
    /// <param name="windowDays">The longest an answer is carried, in days since it was scored (<c>--carry-forward-days</c>).</param>
    /// <param name="runId">The run id written with carried rows.</param>
    /// <param name="carry">False when the index is loaded only for the drift gate (carry-forward off): nothing is carried.</param>
    public CarryForwardScorer(IScorer inner, PreviousRecommendationIndex? index, int windowDays, string runId, bool carry = true)
    {
        _inner = inner;
        _index = index;
        _windowDays = windowDays;
        _runId = runId;
        _carry = carry;
    }

    /// <summary>The earlier recommendations (owned by this scorer), also when only the drift gate uses them; null when none were loaded.</summary>
    public PreviousRecommendationIndex? Previous => _index;

    /// <summary>The wrapped scorer.</summary>
    public IScorer Inner => _inner;

    /// <summary>Rows carried forward (no model call).</summary>
    public long Carried => Interlocked.Read(ref _carried);

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public string Fingerprint => _inner.Fingerprint;

    /// <inheritdoc />
    public bool NeedsCanonicalJson => _inner.NeedsCanonicalJson;

    /// <inheritdoc />
    public int PreferredBatchSize => _inner.PreferredBatchSize;

    /// <inheritdoc />
    public int MaxParallelism => _inner.MaxParallelism;

    /// <inheritdoc />
    public bool LatencyVaries => _inner.LatencyVaries;

    /// <inheritdoc />
    public ValueTask PreflightAsync(CancellationToken cancellationToken) => _inner.PreflightAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask<ScoreOutcome> ScoreAsync(AccountRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (TryCarry(record) is { } carried)
        {
            Interlocked.Increment(ref _carried);
            return ScoreOutcome.Scored(record, carried);
        }

        var outcome = await _inner.ScoreAsync(record, cancellationToken).ConfigureAwait(false);
        if (outcome.Recommendation is { } fresh && fresh.Scorer == _inner.Name && record.MaterialHash is { } material)
        {
            Interlocked.Increment(ref _freshScored);
            return ScoreOutcome.Scored(record, fresh with { MaterialHash = material });
        }

        return outcome;
    }

    /// <summary>The earlier recommendation written again for today, or null when the account must be scored.</summary>
    public Recommendation? TryCarry(AccountRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_carry || _index is null || record.MaterialHash is not { } material)
        {
            return null;
        }

        var today = record.Signals.SnapshotDate;
        if (!_index.TryFind(record.Signals.AccountId, out var entry) || entry.ScoreDate >= today)
        {
            // Never seen, or only on this date or later (a backfill of an older date scores afresh).
            Interlocked.Increment(ref _unknown);
            return null;
        }

        if (entry.MaterialKey != PreviousRecommendationIndex.MaterialKey(material))
        {
            Interlocked.Increment(ref _changed);
            return null;
        }

        if (today.DayNumber - entry.ScoredDate.DayNumber > _windowDays)
        {
            Interlocked.Increment(ref _expired);
            return null;
        }

        var previous = _index.Read(entry);

        // The index compares 64-bit hashes; the full row settles a collision.
        if (previous.AccountId != record.Signals.AccountId || previous.MaterialHash != material)
        {
            Interlocked.Increment(ref _changed);
            return null;
        }

        return previous with
        {
            ScoreDate = today,
            InputHash = record.InputHash,
            RunId = _runId,
            CarriedFrom = previous.CarriedFrom ?? previous.ScoreDate,
            LatencyMs = 0,
            InputTokens = 0,
            OutputTokens = 0,
            ThinkingTokens = 0,
        };
    }

    /// <inheritdoc />
    public Exception? StoppedBecause => (_inner as IStopsEarly)?.StoppedBecause;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object?> GetMetrics()
    {
        var metrics = _inner is IReportsMetrics inner ? new Dictionary<string, object?>(inner.GetMetrics()) : [];
        if (!_carry || _index is null)
        {
            return metrics;
        }

        var carried = Carried;
        metrics["carried_forward"] = carried;
        metrics["carry_changed"] = Interlocked.Read(ref _changed);
        metrics["carry_expired"] = Interlocked.Read(ref _expired);
        metrics["carry_not_found"] = Interlocked.Read(ref _unknown);
        metrics["carry_index_accounts"] = _index.Count;
        if (metrics.ContainsKey("llm_calls"))
        {
            metrics["llm_calls_saved"] = carried;
            var fresh = Interlocked.Read(ref _freshScored);
            if (metrics.GetValueOrDefault("llm_cost_usd") is decimal cost && fresh > 0)
            {
                // Estimated at this run's average cost per freshly scored account.
                metrics["llm_cost_saved_usd"] = Math.Round(cost / fresh * carried, 6);
            }
        }

        return metrics;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        _index?.Dispose();
    }
}

using Microsoft.Extensions.Time.Testing;

namespace SalesIntel.Tests.Stages.Scoring.Gemini;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells when timers are created, so a test advances the clock only after the
/// code under test has started waiting (advancing earlier would schedule the wait from the later time).
/// </summary>
public sealed class TimerAwareClock() : FakeTimeProvider(new DateTimeOffset(2024, 5, 1, 6, 0, 0, TimeSpan.Zero))
{
    private readonly object _lock = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private int _timers;

    /// <summary>Timers created so far.</summary>
    public int TimersCreated => Volatile.Read(ref _timers);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_lock)
        {
            _timers++;
            foreach (var w in _waiters.Where(w => w.Count <= _timers).ToList())
            {
                _waiters.Remove(w);
                w.Signal.TrySetResult();
            }
        }

        return timer;
    }

    /// <summary>Completes once <paramref name="count"/> timers exist (fails the test after 10 s of real time).</summary>
    public Task WaitForTimersAsync(int count)
    {
        lock (_lock)
        {
            if (_timers >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}

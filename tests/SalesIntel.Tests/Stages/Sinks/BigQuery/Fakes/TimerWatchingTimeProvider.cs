using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes;

/// <summary>A <see cref="FakeTimeProvider"/> that lets a test wait until code under test has started a timer of a given length.</summary>
public sealed class TimerWatchingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentDictionary<TimeSpan, TaskCompletionSource> _waiters = new();

    /// <summary>Completes once a timer due after exactly <paramref name="dueTime"/> has been created.</summary>
    public Task WaitForTimerAsync(TimeSpan dueTime) =>
        _waiters.GetOrAdd(dueTime, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _waiters.GetOrAdd(dueTime, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return timer;
    }
}

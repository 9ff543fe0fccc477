namespace SalesIntel.Pipeline.Hosting;

/// <summary>
/// Two-stage stop: the first request (Ctrl+C, SIGTERM from Cloud Run) stops reading and lets finished work be
/// committed; a second one abandons in-flight work. Tests trigger it directly.
/// </summary>
public sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _stopReading = new();
    private readonly CancellationTokenSource _abort = new();
    private int _requests;

    /// <summary>Cancelled by the first request.</summary>
    public CancellationToken StopReading => _stopReading.Token;

    /// <summary>Cancelled by the second request.</summary>
    public CancellationToken Abort => _abort.Token;

    /// <summary>Requests a stop; returns true when this request aborts (it is the second one).</summary>
    public bool Request()
    {
        var n = Interlocked.Increment(ref _requests);
        if (n == 1)
        {
            _stopReading.Cancel();
            return false;
        }

        _stopReading.Cancel();
        _abort.Cancel();
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopReading.Dispose();
        _abort.Dispose();
    }
}

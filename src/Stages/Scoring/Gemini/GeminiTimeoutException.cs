using System.Globalization;
using SalesIntel.Stages.Errors;

namespace SalesIntel.Stages.Scoring.Gemini;

/// <summary>One GenerateContent call ran past <c>--timeout</c>. Transient: the call is retried within the retry limits.</summary>
public sealed class GeminiTimeoutException : SalesIntelException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="limit">The per-call limit that was reached.</param>
    /// <param name="inner">The cancellation that ended the call.</param>
    public GeminiTimeoutException(TimeSpan limit, Exception? inner = null)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"a Vertex AI call took longer than --timeout {limit.TotalSeconds:0.###}s; raise --timeout or lower --thinking-budget if answers are slow"), isTransient: true, inner) =>
        Limit = limit;

    /// <summary>The per-call limit that was reached.</summary>
    public TimeSpan Limit { get; }
}

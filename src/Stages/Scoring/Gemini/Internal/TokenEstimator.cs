namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>
/// Estimates a request's tokens before it is sent, for the TPM limiter and the cost reservation: prompt characters
/// divided by a characters-per-token ratio that is calibrated from the real prompt_token_count of every answer
/// (JSON is denser than prose, so the starting ratio of 3 is on the safe side), and the output as the running mean
/// of what answers really used.
/// </summary>
internal sealed class TokenEstimator(int maxAnswerTokens)
{
    private const double Smoothing = 0.1;
    private readonly object _lock = new();
    private double _charsPerToken = 3.0;
    private double _outputTokens = maxAnswerTokens / 2.0;

    public double CharsPerToken
    {
        get
        {
            lock (_lock)
            {
                return _charsPerToken;
            }
        }
    }

    public int EstimateInput(int promptChars)
    {
        lock (_lock)
        {
            return (int)Math.Ceiling(promptChars / _charsPerToken);
        }
    }

    public int ExpectedOutput()
    {
        lock (_lock)
        {
            return (int)Math.Ceiling(_outputTokens);
        }
    }

    /// <summary>Learns from a counted prompt: an answer's usage (smoothed), or the preflight CountTokens (<paramref name="weight"/> 1 takes it as is).</summary>
    public void ObservePrompt(int promptChars, int promptTokens, double weight = Smoothing)
    {
        if (promptChars <= 0 || promptTokens <= 0)
        {
            return;
        }

        lock (_lock)
        {
            _charsPerToken = ((1 - weight) * _charsPerToken) + (weight * promptChars / promptTokens);
        }
    }

    public void ObserveOutput(int outputTokens)
    {
        lock (_lock)
        {
            _outputTokens = ((1 - Smoothing) * _outputTokens) + (Smoothing * outputTokens);
        }
    }
}

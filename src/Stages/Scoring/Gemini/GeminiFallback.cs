namespace SalesIntel.Stages.Scoring.Gemini;

/// <summary>What happens to an account whose answer stayed invalid, blocked or unavailable after its retries.</summary>
public enum GeminiFallback
{
    /// <summary>Dead-letter it with the reason and the raw answer (the default: no silent fallback).</summary>
    None,

    /// <summary>Score it with the rules scorer instead and mark the row <c>rules-fallback</c>.</summary>
    Rules,
}

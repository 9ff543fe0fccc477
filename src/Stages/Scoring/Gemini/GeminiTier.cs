namespace SalesIntel.Stages.Scoring.Gemini;

/// <summary>The Vertex AI consumption tier the scorer asks for (<c>--tier</c>).</summary>
public enum GeminiTier
{
    /// <summary>Standard PayGo: the default, no request-type header.</summary>
    Standard,

    /// <summary>
    /// Flex PayGo: cheaper (the catalog's <c>flex_discount</c>) and slower to answer; asked for with the request header
    /// <c>X-Vertex-AI-LLM-Shared-Request-Type: flex</c>, served on the global endpoint only.
    /// </summary>
    Flex,
}

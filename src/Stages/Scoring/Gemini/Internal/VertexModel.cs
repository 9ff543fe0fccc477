namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>Where a Gemini model lives: its resource path, the host that serves its region, and the routing headers.</summary>
internal sealed record VertexModel(string Project, string Region, string Model)
{
    /// <summary><c>projects/{p}/locations/{r}/publishers/google/models/{m}</c>.</summary>
    public string Path { get; } = $"projects/{Project}/locations/{Region}/publishers/google/models/{Model}";

    /// <summary>A current model to suggest when this one is not found (from the model catalog).</summary>
    public string Suggestion { get; init; } = "a current model from models/gemini.json";

    /// <summary>
    /// The host that serves the location: <c>global</c> the global host (Google's recommended default), <c>us</c> /
    /// <c>eu</c> the multi-region hosts (Gemini 3+ only), anything else the regional host.
    /// </summary>
    public string Endpoint => Region switch
    {
        "global" => "aiplatform.googleapis.com:443",
        "us" => "aiplatform.us.rep.googleapis.com:443",
        "eu" => "aiplatform.eu.rep.googleapis.com:443",
        _ => $"{Region}-aiplatform.googleapis.com:443",
    };

    /// <summary>The GenerateContent routing value: <c>model=&lt;path&gt;</c>.</summary>
    public string GenerateRouting => "model=" + Escape(Path);

    /// <summary>The CountTokens routing value: <c>endpoint=&lt;path&gt;</c>.</summary>
    public string CountTokensRouting => "endpoint=" + Escape(Path);

    /// <summary>The routing header name Google front ends read.</summary>
    public const string RoutingHeader = "x-goog-request-params";

    /// <summary>URL-encodes a routing value but keeps '/', as the Google client libraries do.</summary>
    internal static string Escape(string value) => string.Join('/', value.Split('/').Select(Uri.EscapeDataString));
}

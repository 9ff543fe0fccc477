using System.Globalization;
using System.Text;
using System.Text.Json;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Protos.VertexAi;
using FinishReason = SalesIntel.Stages.Protos.VertexAi.Candidate.Types.FinishReason;

namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>
/// Turns a GenerateContentResponse into a <see cref="ParsedAnswer"/> or an <see cref="AnswerProblem"/>: skips
/// thought parts, classifies blocked and truncated answers by finish reason, parses the JSON and checks every
/// field (score 0-100, tier matching <see cref="Tiers.ForScore"/>, 1-3 actions, lengths, confidence 0-1).
/// </summary>
internal static class AnswerParser
{
    /// <summary>The most raw answer text kept for a dead letter.</summary>
    public const int MaxRawChars = 4000;

    public static (ParsedAnswer? Answer, AnswerProblem? Problem) Parse(GenerateContentResponse response)
    {
        if (response.PromptFeedback is { BlockReason: not GenerateContentResponse.Types.PromptFeedback.Types.BlockedReason.Unspecified } feedback)
        {
            return Problem(AnswerProblemKind.Blocked, $"the prompt was blocked ({feedback.BlockReason}{Suffix(feedback.BlockReasonMessage)})", null);
        }

        if (response.Candidates.Count == 0)
        {
            return Problem(AnswerProblemKind.Empty, "the response has no candidates", null);
        }

        var candidate = response.Candidates[0];
        var text = AnswerText(candidate);
        var raw = text.Length > MaxRawChars ? text[..MaxRawChars] : text;
        switch (candidate.FinishReason)
        {
            case FinishReason.MaxTokens:
                return Problem(AnswerProblemKind.Truncated, "the answer was cut off at max_output_tokens (MAX_TOKENS)", raw);
            case FinishReason.Stop or FinishReason.Unspecified:
                break;
            default:
                return Problem(AnswerProblemKind.Blocked, $"generation stopped with {candidate.FinishReason}{Suffix(candidate.FinishMessage)}", raw);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return Problem(AnswerProblemKind.Empty, "the answer holds no text outside thought parts", raw);
        }

        return Validate(text, raw);
    }

    /// <summary>The answer text: every non-thought text part of the candidate, in order.</summary>
    public static string AnswerText(Candidate candidate)
    {
        if (candidate.Content is null)
        {
            return "";
        }

        var sb = new StringBuilder();
        foreach (var part in candidate.Content.Parts)
        {
            if (!part.Thought && part.DataCase == Part.DataOneofCase.Text)
            {
                sb.Append(part.Text);
            }
        }

        return sb.ToString();
    }

    internal static (ParsedAnswer? Answer, AnswerProblem? Problem) Validate(string text, string raw)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(StripFence(text));
        }
        catch (JsonException e)
        {
            return Problem(AnswerProblemKind.Invalid, $"the answer is not JSON ({FirstLine(e.Message)})", raw);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Problem(AnswerProblemKind.Invalid, $"the answer is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object", raw);
            }

            var problems = new List<string>();
            var score = ReadScore(root, problems);
            var tier = ReadString(root, RecommendationSchema.Tier, problems);
            var rationale = ReadString(root, RecommendationSchema.Rationale, problems)?.Trim();
            var actions = ReadActions(root, problems);
            var confidence = ReadConfidence(root, problems);

            if (tier is not null && tier is not ("A" or "B" or "C" or "D"))
            {
                problems.Add($"tier '{tier}' is not A, B, C or D");
            }
            else if (tier is not null && score is { } s && Tiers.ForScore(s) != tier)
            {
                problems.Add($"tier {tier} does not match score {s} (band {Tiers.ForScore(s)})");
            }

            if (rationale is not null && (rationale.Length == 0 || rationale.Length > RecommendationSchema.MaxRationaleChars))
            {
                problems.Add($"rationale has {rationale.Length} characters (1-{RecommendationSchema.MaxRationaleChars} allowed)");
            }

            if (problems.Count > 0)
            {
                return Problem(AnswerProblemKind.Invalid, string.Join("; ", problems), raw);
            }

            return (new ParsedAnswer(score!.Value, tier!, rationale!, actions!, confidence!.Value), null);
        }
    }

    private static int? ReadScore(JsonElement root, List<string> problems)
    {
        if (!root.TryGetProperty(RecommendationSchema.Score, out var value) || value.ValueKind != JsonValueKind.Number)
        {
            problems.Add("score is missing or not a number");
            return null;
        }

        // 72 and 72.0 are the same integer; 72.5 is not one.
        if (!value.TryGetDouble(out var d) || d != Math.Floor(d) || d is < 0 or > 100)
        {
            problems.Add($"score {value.GetRawText()} is not an integer from 0 to 100");
            return null;
        }

        return (int)d;
    }

    private static string? ReadString(JsonElement root, string name, List<string> problems)
    {
        if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        problems.Add($"{name} is missing or not a string");
        return null;
    }

    private static List<string>? ReadActions(JsonElement root, List<string> problems)
    {
        if (!root.TryGetProperty(RecommendationSchema.Actions, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{RecommendationSchema.Actions} is missing or not an array");
            return null;
        }

        var actions = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            var action = item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim() : null;
            if (string.IsNullOrEmpty(action) || action.Length > RecommendationSchema.MaxActionChars)
            {
                problems.Add($"{RecommendationSchema.Actions} holds {Describe(item)} (each must be text of 1-{RecommendationSchema.MaxActionChars} characters)");
                return null;
            }

            actions.Add(action);
        }

        if (actions.Count is < 1 or > 3)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{RecommendationSchema.Actions} has {actions.Count} items (1-3 allowed)"));
            return null;
        }

        return actions;
    }

    private static double? ReadConfidence(JsonElement root, List<string> problems)
    {
        if (!root.TryGetProperty(RecommendationSchema.Confidence, out var value) || value.ValueKind != JsonValueKind.Number
            || !value.TryGetDouble(out var d) || double.IsNaN(d) || d is < 0 or > 1)
        {
            problems.Add($"confidence {(root.TryGetProperty(RecommendationSchema.Confidence, out var c) ? c.GetRawText() : "(missing)")} is not a number from 0 to 1");
            return null;
        }

        return d;
    }

    private static string Describe(JsonElement item)
    {
        var text = item.GetRawText();
        return text.Length > 40 ? text[..40] + "..." : text;
    }

    /// <summary>Tolerates a Markdown code fence around the JSON (seen from models without a response schema).</summary>
    private static string StripFence(string text)
    {
        var t = text.Trim();
        if (!t.StartsWith("```", StringComparison.Ordinal))
        {
            return t;
        }

        var firstNewline = t.IndexOf('\n', StringComparison.Ordinal);
        var lastFence = t.LastIndexOf("```", StringComparison.Ordinal);
        return firstNewline > 0 && lastFence > firstNewline ? t[(firstNewline + 1)..lastFence].Trim() : t;
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static string Suffix(string? message) => string.IsNullOrWhiteSpace(message) ? "" : ": " + message.Trim();

    private static (ParsedAnswer?, AnswerProblem?) Problem(AnswerProblemKind kind, string message, string? raw) => (null, new AnswerProblem(kind, message, raw));
}

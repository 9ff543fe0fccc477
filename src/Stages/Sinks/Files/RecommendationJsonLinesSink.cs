using System.Text.Encodings.Web;
using System.Text.Json;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sinks.Files;

/// <summary>
/// Writes recommendations as JSON Lines, one object per row with the <c>account_recommendations</c> column names,
/// in the same value forms as BigQuery's JSON (dates and timestamps as strings, NULL as null).
/// Written to a temporary file and renamed on <see cref="CompleteAsync"/>.
/// </summary>
public sealed class RecommendationJsonLinesSink : IRecommendationSink
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly string _path;
    private TempFile? _file;
    private Utf8JsonWriter? _json;
    private long _rows;

    /// <summary>Creates the sink; nothing is opened until <see cref="PreflightAsync"/>.</summary>
    public RecommendationJsonLinesSink(string path) => _path = path;

    /// <inheritdoc />
    public string Description => $"{_path} (JSON Lines)";

    /// <inheritdoc />
    public ValueTask PreflightAsync(CancellationToken cancellationToken)
    {
        _file = TempFile.Create(_path, "recommendations file");
        _json = new Utf8JsonWriter(_file.Stream, WriterOptions);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(IReadOnlyList<Recommendation> batch, CancellationToken cancellationToken)
    {
        var w = _json ?? throw new InvalidOperationException("PreflightAsync must run before WriteAsync");
        var stream = _file!.Stream;
        foreach (var r in batch)
        {
            w.Reset();
            w.WriteStartObject();
            w.WriteString("account_id", r.AccountId);
            w.WriteString("score_date", RecommendationFormats.Date(r.ScoreDate));
            w.WriteNumber("score", r.Score);
            w.WriteString("tier", r.Tier);
            w.WriteString("rationale", r.Rationale);
            w.WriteStartArray("recommended_actions");
            foreach (var a in r.RecommendedActions)
            {
                w.WriteStringValue(a);
            }

            w.WriteEndArray();
            w.WriteNumber("confidence", r.Confidence);
            w.WriteString("scorer", r.Scorer);
            WriteNullable(w, "model", r.Model);
            w.WriteString("prompt_version", r.PromptVersion);
            w.WriteString("input_hash", r.InputHash);
            w.WriteString("run_id", r.RunId);
            w.WriteString("scored_at", RecommendationFormats.Timestamp(r.ScoredAt));
            WriteNullable(w, "latency_ms", r.LatencyMs);
            WriteNullable(w, "input_tokens", r.InputTokens);
            WriteNullable(w, "output_tokens", r.OutputTokens);
            WriteNullable(w, "thinking_tokens", r.ThinkingTokens);
            WriteNullable(w, "material_hash", r.MaterialHash);
            WriteNullable(w, "carried_from", r.CarriedFrom is { } carried ? RecommendationFormats.Date(carried) : null);
            w.WriteEndObject();
            w.Flush();
            stream.Write(NewLine);
        }

        _rows += batch.Count;
        await ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<SinkResult> CompleteAsync(CancellationToken cancellationToken)
    {
        var file = _file ?? throw new InvalidOperationException("PreflightAsync must run before CompleteAsync");
        _json!.Dispose();
        _json = null;
        file.Commit();
        return ValueTask.FromResult(new SinkResult(_rows, [], _path));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _json?.Dispose();
        _file?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteNumber(name, value.Value);
        }
    }
}

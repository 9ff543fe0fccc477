using System.Globalization;
using CsvHelper;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sinks.Files;

/// <summary>
/// Writes recommendations as RFC 4180 CSV with a header of the <c>account_recommendations</c> column names.
/// <c>recommended_actions</c> is a JSON array in one cell; timestamps are ISO 8601 UTC with microseconds; NULL is an
/// empty field. Written to a temporary file and renamed on <see cref="CompleteAsync"/>.
/// </summary>
public sealed class RecommendationCsvSink : IRecommendationSink
{
    private readonly string _path;
    private TempFile? _file;
    private CsvWriter? _csv;
    private long _rows;

    /// <summary>Creates the sink; nothing is opened until <see cref="PreflightAsync"/>.</summary>
    public RecommendationCsvSink(string path) => _path = path;

    /// <inheritdoc />
    public string Description => $"{_path} (CSV)";

    /// <inheritdoc />
    public ValueTask PreflightAsync(CancellationToken cancellationToken)
    {
        _file = TempFile.Create(_path, "recommendations file");
        _csv = CsvWriter.Create(_file.Stream, new CsvWriterOptions { NewLine = "\n", Injection = CsvInjection.None, FormatProvider = CultureInfo.InvariantCulture }, true);
        _csv.WriteHeader(RecommendationsTable.Schema.Fields.Select(f => f.Name).ToArray());
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(IReadOnlyList<Recommendation> batch, CancellationToken cancellationToken)
    {
        var csv = _csv ?? throw new InvalidOperationException("PreflightAsync must run before WriteAsync");
        foreach (var r in batch)
        {
            csv.WriteField(r.AccountId);
            csv.WriteField(RecommendationFormats.Date(r.ScoreDate));
            csv.WriteField(r.Score.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(r.Tier);
            csv.WriteField(r.Rationale);
            csv.WriteField(RecommendationFormats.ActionsJson(r.RecommendedActions));
            csv.WriteField(RecommendationFormats.Double(r.Confidence));
            csv.WriteField(r.Scorer);
            csv.WriteField(r.Model ?? "");
            csv.WriteField(r.PromptVersion);
            csv.WriteField(r.InputHash);
            csv.WriteField(r.RunId);
            csv.WriteField(RecommendationFormats.Timestamp(r.ScoredAt));
            csv.WriteField(RecommendationFormats.Long(r.LatencyMs));
            csv.WriteField(RecommendationFormats.Long(r.InputTokens));
            csv.WriteField(RecommendationFormats.Long(r.OutputTokens));
            csv.WriteField(RecommendationFormats.Long(r.ThinkingTokens));
            csv.WriteField(r.MaterialHash ?? "");
            csv.WriteField(r.CarriedFrom is { } carried ? RecommendationFormats.Date(carried) : "");
            csv.EndRecord();
        }

        _rows += batch.Count;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask<SinkResult> CompleteAsync(CancellationToken cancellationToken)
    {
        var file = _file ?? throw new InvalidOperationException("PreflightAsync must run before CompleteAsync");
        await _csv!.FlushAsync(cancellationToken);
        await _csv.DisposeAsync();
        file.Commit();
        return new SinkResult(_rows, [], _path);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_csv is not null)
        {
            await _csv.DisposeAsync();
        }

        _file?.Dispose();
    }
}

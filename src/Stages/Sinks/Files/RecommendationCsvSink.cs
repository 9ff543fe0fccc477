using System.Globalization;
using CsvHelper;
using SalesIntel.Stages.Formats;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sinks.Files;

/// <summary>
/// Writes recommendations as RFC 4180 CSV with a header of the <c>account_recommendations</c> column names.
/// <c>recommended_actions</c> is a JSON array in one cell; timestamps are ISO 8601 UTC with microseconds; NULL is an
/// empty field. Text cells a spreadsheet would run as a formula are written with a leading apostrophe unless the
/// guard is turned off (<see cref="CsvFormulaGuard"/>). Written to a temporary file and renamed on
/// <see cref="CompleteAsync"/>.
/// </summary>
public sealed class RecommendationCsvSink : IRecommendationSink
{
    private readonly string _path;
    private readonly Func<string, string> _text;
    private TempFile? _file;
    private CsvWriter? _csv;
    private long _rows;

    /// <summary>Creates the sink; nothing is opened until <see cref="PreflightAsync"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="guardFormulas">Write text cells that start like a formula with a leading apostrophe (the default); false writes every value as it is.</param>
    public RecommendationCsvSink(string path, bool guardFormulas = true)
    {
        _path = path;
        _text = guardFormulas ? CsvFormulaGuard.Guard : static s => s;
    }

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
            csv.WriteField(_text(r.AccountId));
            csv.WriteField(RecommendationFormats.Date(r.ScoreDate));
            csv.WriteField(r.Score.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(_text(r.Tier));
            csv.WriteField(_text(r.Rationale));
            csv.WriteField(RecommendationFormats.ActionsJson(r.RecommendedActions));
            csv.WriteField(RecommendationFormats.Double(r.Confidence));
            csv.WriteField(_text(r.Scorer));
            csv.WriteField(_text(r.Model ?? ""));
            csv.WriteField(_text(r.PromptVersion));
            csv.WriteField(_text(r.InputHash));
            csv.WriteField(_text(r.RunId));
            csv.WriteField(RecommendationFormats.Timestamp(r.ScoredAt));
            csv.WriteField(RecommendationFormats.Long(r.LatencyMs));
            csv.WriteField(RecommendationFormats.Long(r.InputTokens));
            csv.WriteField(RecommendationFormats.Long(r.OutputTokens));
            csv.WriteField(RecommendationFormats.Long(r.ThinkingTokens));
            csv.WriteField(_text(r.MaterialHash ?? ""));
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

using System.Globalization;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using CsvHelper;
using Microsoft.Extensions.Logging;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Formats;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.BigQuery;
using SalesIntel.Stages.Sources.Files;

namespace SalesIntel.Stages.CarryForward;

/// <summary>
/// Loads the earlier recommendations of a carry-forward window into a <see cref="PreviousRecommendationIndex"/>:
/// from the BigQuery sink table (one Storage Read over the window's <c>score_date</c> partitions, projecting only
/// the columns a carried row repeats) or from an earlier output file (<c>--previous</c>: CSV, JSON Lines or Arrow).
/// </summary>
public static class PreviousRecommendations
{
    /// <summary>The columns read back: what a carried row repeats, plus what decides whether it may be carried.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "account_id", "score_date", "score", "tier", "rationale", "recommended_actions", "confidence", "scorer", "model",
        "prompt_version", "input_hash", "scored_at", "material_hash", "carried_from",
    ];

    /// <summary>The score dates an account scored on <paramref name="dates"/> may be carried from: the <paramref name="days"/> days before.</summary>
    public static DateRange Window(DateRange dates, int days)
    {
        ArgumentNullException.ThrowIfNull(dates);
        if (dates.AllDates || days < 1)
        {
            throw new ArgumentException("carry-forward needs a bounded date range and a window of at least one day", nameof(dates));
        }

        return DateRange.Between(dates.From!.Value.AddDays(-days), dates.To!.Value.AddDays(-1));
    }

    /// <summary>Reads the window's partitions of a BigQuery table (the sink) through the Storage Read API.</summary>
    public static async Task<PreviousRecommendationIndex> LoadBigQueryAsync(string table, DateRange window, string? emulatorHost, int maxStreams, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var options = new BigQuerySourceOptions
        {
            Table = table,
            Dates = window,
            PartitionColumn = RecommendationsTable.PartitionColumn,
            Columns = Columns,
            MaxStreams = maxStreams,
            EmulatorHost = emulatorHost,
        };
        using var builder = new PreviousRecommendationIndex.Builder();
        await using (var source = new BigQuerySource(options, time, logger))
        {
            await source.OpenAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var batch in source.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                using var rows = batch.Rows;
                AddBatch(builder, rows, window);
            }
        }

        return builder.Build();
    }

    /// <summary>Reads an earlier output file of the file sinks (its format from the extension).</summary>
    public static async Task<PreviousRecommendationIndex> LoadFileAsync(string path, DateRange window, CancellationToken cancellationToken)
    {
        using var builder = new PreviousRecommendationIndex.Builder();
        try
        {
            switch (FileFormats.FromPath(path))
            {
                case FileFormat.Csv:
                    await LoadCsvAsync(path, window, builder, cancellationToken).ConfigureAwait(false);
                    break;
                case FileFormat.JsonLines:
                    await LoadJsonLinesAsync(path, window, builder, cancellationToken).ConfigureAwait(false);
                    break;
                case var arrow:
                    await LoadArrowAsync(path, arrow == FileFormat.ArrowFile, window, builder, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidCastException or KeyNotFoundException or CsvFormatException or InvalidDataException)
        {
            throw new SourceException($"--previous '{path}' is not a recommendations file SalesIntel wrote: {e.Message}. Point --previous at an earlier --sink output.", inner: e);
        }

        return builder.Build();
    }

    /// <summary>Adds the rows of one Arrow batch with the recommendation columns (by name) that fall in the window.</summary>
    public static void AddBatch(PreviousRecommendationIndex.Builder builder, RecordBatch rows, DateRange window)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Schema.GetFieldIndex("material_hash") < 0)
        {
            // Written before carry-forward existed: nothing in it can be carried.
            return;
        }

        var ids = (StringArray)rows.Column("account_id");
        var dates = (Date32Array)rows.Column("score_date");
        var scores = (Int64Array)rows.Column("score");
        var tiers = (StringArray)rows.Column("tier");
        var rationales = (StringArray)rows.Column("rationale");
        var actions = (ListArray)rows.Column("recommended_actions");
        var actionValues = (StringArray)actions.Values;
        var confidences = (DoubleArray)rows.Column("confidence");
        var scorers = (StringArray)rows.Column("scorer");
        var models = (StringArray)rows.Column("model");
        var prompts = (StringArray)rows.Column("prompt_version");
        var inputs = (StringArray)rows.Column("input_hash");
        var scoredAt = (TimestampArray)rows.Column("scored_at");
        var materials = (StringArray)rows.Column("material_hash");
        var carried = (Date32Array)rows.Column("carried_from");
        for (var i = 0; i < rows.Length; i++)
        {
            if (materials.IsNull(i) || dates.GetDateOnly(i) is not { } date || !window.Contains(date))
            {
                continue;
            }

            var list = new string[actions.ValueOffsets[i + 1] - actions.ValueOffsets[i]];
            for (var a = 0; a < list.Length; a++)
            {
                list[a] = actionValues.GetString(actions.ValueOffsets[i] + a);
            }

            builder.Add(new Recommendation
            {
                AccountId = ids.GetString(i),
                ScoreDate = date,
                Score = (int)scores.GetValue(i)!.Value,
                Tier = tiers.GetString(i),
                Rationale = rationales.GetString(i),
                RecommendedActions = list,
                Confidence = confidences.GetValue(i)!.Value,
                Scorer = scorers.GetString(i),
                Model = models.GetString(i),
                PromptVersion = prompts.GetString(i),
                InputHash = inputs.GetString(i),
                RunId = "",
                ScoredAt = scoredAt.GetTimestamp(i)!.Value,
                MaterialHash = materials.GetString(i),
                CarriedFrom = carried.GetDateOnly(i),
            });
        }
    }

    private static async Task LoadArrowAsync(string path, bool fileFormat, DateRange window, PreviousRecommendationIndex.Builder builder, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        using ArrowStreamReader reader = fileFormat ? new ArrowFileReader(stream) : new ArrowStreamReader(stream);
        while (await reader.ReadNextRecordBatchAsync(cancellationToken).ConfigureAwait(false) is { } batch)
        {
            using (batch)
            {
                AddBatch(builder, batch, window);
            }
        }
    }

    private static async Task LoadCsvAsync(string path, DateRange window, PreviousRecommendationIndex.Builder builder, CancellationToken cancellationToken)
    {
        var options = new CsvReaderOptions { Separator = ',', DetectSeparatorHint = false, HasHeader = true, Mode = CsvMode.Rfc4180, AllowLineBreaksInQuotes = true, SkipEmptyLines = true };
        await using var csv = CsvReader.Create(File.OpenRead(path), options, leaveOpen: false);
        await csv.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        var headers = csv.Headers;
        int Column(string name) => headers.ToList().FindIndex(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        var index = Columns.ToDictionary(c => c, Column);
        if (index["material_hash"] < 0)
        {
            return;
        }

        // Our CSV sink guards cells that start like a formula with an apostrophe; the guard is undone here so a
        // carried row is written back exactly as it was scored.
        string Field(string name) => index[name] is var j and >= 0 && j < csv.FieldCount ? CsvFormulaGuard.Unguard(Encoding.UTF8.GetString(csv.GetSpan(j))) : "";
        while (await csv.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var material = Field("material_hash");
            var date = DateOnly.ParseExact(Field("score_date"), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (material.Length == 0 || !window.Contains(date))
            {
                continue;
            }

            var carried = Field("carried_from");
            var model = Field("model");
            var actions = Field("recommended_actions");
            builder.Add(new Recommendation
            {
                AccountId = Field("account_id"),
                ScoreDate = date,
                Score = int.Parse(Field("score"), CultureInfo.InvariantCulture),
                Tier = Field("tier"),
                Rationale = Field("rationale"),
                RecommendedActions = JsonSerializer.Deserialize(actions.Length > 0 ? actions : "[]", CarryForwardJson.Default.StringArray)!,
                Confidence = double.Parse(Field("confidence"), CultureInfo.InvariantCulture),
                Scorer = Field("scorer"),
                Model = model.Length == 0 ? null : model,
                PromptVersion = Field("prompt_version"),
                InputHash = Field("input_hash"),
                RunId = "",
                ScoredAt = DateTimeOffset.Parse(Field("scored_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                MaterialHash = material,
                CarriedFrom = carried.Length == 0 ? null : DateOnly.ParseExact(carried, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            });
        }
    }

    private static async Task LoadJsonLinesAsync(string path, DateRange window, PreviousRecommendationIndex.Builder builder, CancellationToken cancellationToken)
    {
        foreach (var line in File.ReadLines(path))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var o = doc.RootElement;
            if (!o.TryGetProperty("material_hash", out var material) || material.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            var date = DateOnly.ParseExact(o.GetProperty("score_date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (!window.Contains(date))
            {
                continue;
            }

            builder.Add(new Recommendation
            {
                AccountId = o.GetProperty("account_id").GetString()!,
                ScoreDate = date,
                Score = o.GetProperty("score").GetInt32(),
                Tier = o.GetProperty("tier").GetString()!,
                Rationale = o.GetProperty("rationale").GetString()!,
                RecommendedActions = [.. o.GetProperty("recommended_actions").EnumerateArray().Select(e => e.GetString()!)],
                Confidence = o.GetProperty("confidence").GetDouble(),
                Scorer = o.GetProperty("scorer").GetString()!,
                Model = o.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null,
                PromptVersion = o.GetProperty("prompt_version").GetString()!,
                InputHash = o.GetProperty("input_hash").GetString()!,
                RunId = "",
                ScoredAt = DateTimeOffset.Parse(o.GetProperty("scored_at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                MaterialHash = material.GetString(),
                CarriedFrom = o.TryGetProperty("carried_from", out var c) && c.ValueKind == JsonValueKind.String ? DateOnly.ParseExact(c.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            });
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}

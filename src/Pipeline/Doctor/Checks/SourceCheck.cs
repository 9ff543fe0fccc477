using System.Globalization;
using SalesIntel.Stages.Admit;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Sources;

namespace SalesIntel.Pipeline.Doctor.Checks;

/// <summary>
/// Source: opened exactly as the run opens it. A BigQuery table must exist and be readable, its selected partitions
/// must hold rows, and the read session's row and byte estimates (the numbers the source's own guard uses) must be
/// within <c>--max-rows</c> / <c>--max-bytes</c>. A file must exist, be readable and be in a recognised format; its rows
/// are counted by reading it (a local file is cheap to read, and a CSV says nothing of its size up front).
/// </summary>
public sealed class SourceCheck : IDoctorCheck
{
    /// <inheritdoc />
    public string Name => "source";

    /// <inheritdoc />
    public async ValueTask<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        await using var source = context.Factory.CreateSource();
        var plan = await source.OpenAsync(cancellationToken);
        var rows = plan.EstimatedRows;
        var counted = false;
        if (rows is null && !context.BigQuerySource)
        {
            rows = await CountAsync(source, cancellationToken);
            counted = true;
        }

        context.SourceRows = rows;
        var figures = context.BigQuerySource
            ? $"{N(rows ?? 0)} rows, {N(plan.EstimatedBytes ?? 0)} bytes estimated by the read session for {settings.Dates}"
            : $"{(rows is { } r ? N(r) : "unknown")} rows{(counted ? " in the file (every date; the run keeps " + settings.Dates + ")" : "")}";
        if (context.BigQuerySource && !settings.Dates.AllDates && rows == 0)
        {
            return DoctorCheckResult.Fail(
                $"{plan.Description}: the selected partition(s) {settings.Dates} hold no rows (missing or empty)",
                "check that the upstream load for that date has finished, or choose another --date");
        }

        try
        {
            new RowGuard(settings.MaxRows, settings.Limit).CheckEstimate(rows, plan.Description, settings.Dates);
        }
        catch (GuardTrippedException e)
        {
            return DoctorCheckResult.Fail(e.Message, $"narrow the dates or raise --max-rows to {rows}");
        }

        // As the BigQuery source guards bytes: only without --limit, which reads (and bills) about its share.
        if (context.BigQuerySource && settings.Limit is null && plan.EstimatedBytes is { } bytes && bytes > context.MaxBytes)
        {
            return DoctorCheckResult.Fail(
                $"{plan.Description}: the read session estimates {N(bytes)} bytes scanned, over --max-bytes {N(context.MaxBytes)}",
                $"narrow the dates or raise --max-bytes to {bytes}");
        }

        return DoctorCheckResult.Ok($"{plan.Description}: {figures}; within --max-rows {N(settings.MaxRows)}{(context.BigQuerySource ? $" and --max-bytes {N(context.MaxBytes)}" : "")}");
    }

    private static async Task<long> CountAsync(IAccountSource source, CancellationToken cancellationToken)
    {
        long rows = 0;
        await foreach (var batch in source.ReadAsync(cancellationToken))
        {
            rows += batch.Rows.Length + batch.Rejected.Count;
            batch.Rows.Dispose();
        }

        return rows;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

using System.Globalization;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Admit;

/// <summary>
/// The <c>--max-rows</c> guard, in one place. Its rules:
/// <list type="number">
/// <item>Without <c>--limit</c>, the run may read at most <c>--max-rows</c> rows: an estimate above it stops the run
/// before anything is read, and reading past it stops the run before anything is published.</item>
/// <item>With <c>--limit N</c> the run reads at most N accounts, so the guard compares <c>min(N, rows)</c> with
/// <c>--max-rows</c>. A trial run with N at or under <c>--max-rows</c> never trips it, whatever the source holds;
/// with N over <c>--max-rows</c> it trips as soon as more than <c>--max-rows</c> rows are read, and the message
/// names <c>--limit</c> as the cause (advising <c>--limit</c> there would be circular).</item>
/// <item>Rows read count every row the source handed over in the selected dates: accounts admitted, accounts
/// skipped because they are already committed, and dead letters (a row outside the date filter is not read).</item>
/// </list>
/// The BigQuery source applies the same rule 1 to its read-session estimate (with <c>--max-bytes</c>), since it
/// is given <c>--max-rows</c> only when no <c>--limit</c> is set.
/// </summary>
public sealed class RowGuard
{
    /// <summary>Creates the guard for <c>--max-rows</c> and an optional <c>--limit</c>.</summary>
    public RowGuard(long maxRows, long? limit)
    {
        MaxRows = maxRows;
        Limit = limit;
    }

    /// <summary>The <c>--max-rows</c> value.</summary>
    public long MaxRows { get; }

    /// <summary>The <c>--limit</c> value, if any.</summary>
    public long? Limit { get; }

    /// <summary>The rows the run would read out of <paramref name="rows"/>: all of them, or at most <c>--limit</c>.</summary>
    public long Counted(long rows) => Limit is { } limit ? Math.Min(limit, rows) : rows;

    /// <summary>Throws <see cref="GuardTrippedException"/> when the source's estimate (if it has one) is over the guard.</summary>
    /// <param name="estimatedRows">The source plan's estimate, or null when only reading will tell.</param>
    /// <param name="source">The source as the user knows it.</param>
    /// <param name="dates">The selected partitions.</param>
    public void CheckEstimate(long? estimatedRows, string source, DateRange dates)
    {
        if (estimatedRows is not { } rows || Counted(rows) <= MaxRows)
        {
            return;
        }

        throw new GuardTrippedException(Limit is { } limit
            ? $"{source} holds about {N(rows)} rows for {dates} and --limit {N(limit)} would read {N(Counted(rows))} of them, over --max-rows {N(MaxRows)}; nothing was read. Lower --limit to {N(MaxRows)} or less, or raise --max-rows."
            : $"{source} holds about {N(rows)} rows for {dates}, over --max-rows {N(MaxRows)}; nothing was read. Raise --max-rows, narrow the dates, or use --limit N for a trial run.");
    }

    /// <summary>Throws <see cref="GuardTrippedException"/> once the rows read so far are over the guard.</summary>
    /// <param name="rowsRead">Rows read so far (see the class rules for what counts).</param>
    /// <param name="dates">The selected partitions.</param>
    public void CheckRead(long rowsRead, DateRange dates)
    {
        if (Counted(rowsRead) <= MaxRows)
        {
            return;
        }

        throw new GuardTrippedException(Limit is { } limit
            ? $"--limit {N(limit)} reads more than --max-rows {N(MaxRows)} rows from the selected partitions ({dates}); nothing was published. Lower --limit to {N(MaxRows)} or less, or raise --max-rows."
            : $"the selected partitions ({dates}) hold more than {N(MaxRows)} rows (--max-rows); nothing was published. Raise --max-rows, narrow --date/--from/--to, or use --limit N for a trial run.");
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

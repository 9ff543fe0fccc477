using System.Globalization;
using System.Text;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sources.BigQuery.Internal;

/// <summary>
/// The share of the rows one Cloud Run task reads, as a row restriction built only from validated dates, fixed
/// characters and validated key boundaries. Tasks cannot share a read session (each CreateReadSession splits rows
/// into streams its own way), so each task creates its own session over a slice that every task computes
/// identically from its index alone, and the slices are disjoint and cover everything by construction:
/// <list type="bullet">
/// <item>at least as many days as tasks: contiguous blocks of days, block sizes differing by at most one day;</item>
/// <item>otherwise (one day, or <c>--all-dates</c>), by default: classes of the key's last character
/// (<c>account_id LIKE '%7'</c>), characters dealt round-robin over the tasks, the last task also taking every other
/// ending and NULL (<c>NOT (...) OR account_id IS NULL</c>); fair for sequential ids with a common prefix
/// (<c>acc-000123</c>) as for random ones;</item>
/// <item>otherwise, with explicit key boundaries: ranges <c>account_id &gt;= lower AND account_id &lt; upper</c>.</item>
/// </list>
/// </summary>
/// <param name="RowRestriction">The restriction for this task, or null for every row.</param>
/// <param name="Description">One plan line naming the share, or null when there is one task.</param>
internal sealed record TaskShard(string? RowRestriction, string? Description)
{
    /// <summary>The key endings dealt to tasks: digits first (sequential ids), then lower-case (hex), then upper-case.</summary>
    internal const string SuffixAlphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>Computes task <paramref name="index"/>'s share of <paramref name="dates"/> among <paramref name="count"/> tasks.</summary>
    public static TaskShard For(DateRange dates, string partitionColumn, string keyColumn, int index, int count, IReadOnlyList<string>? keyBoundaries)
    {
        var dateFilter = dates.ToRowRestriction(partitionColumn);
        if (count <= 1)
        {
            return new TaskShard(dateFilter, null);
        }

        var days = dates.Days().ToArray();
        if (days.Length >= count)
        {
            var size = days.Length / count;
            var extra = days.Length % count;
            var first = (index * size) + Math.Min(index, extra);
            var length = size + (index < extra ? 1 : 0);
            var block = DateRange.Between(days[first], days[first + length - 1]);
            return new TaskShard(block.ToRowRestriction(partitionColumn), $"task {index + 1}/{count}: {partitionColumn} {block} ({length} of {days.Length} days)");
        }

        var (keyFilter, share) = keyBoundaries is null
            ? SuffixClass(keyColumn, index, count)
            : KeyRange(keyColumn, index, count, keyBoundaries);
        var restriction = dateFilter is null ? keyFilter : $"{dateFilter} AND ({keyFilter})";
        return new TaskShard(restriction, $"task {index + 1}/{count}: {share} of {(dates.AllDates ? "every partition" : $"{partitionColumn} {dates}")}");
    }

    private static (string Filter, string Share) SuffixClass(string keyColumn, int index, int count)
    {
        var mine = Endings(index, count);
        if (index < count - 1)
        {
            return (string.Join(" OR ", mine.Select(c => $"{keyColumn} LIKE '%{c}'")), $"{keyColumn} ending in {string.Join(' ', mine)}");
        }

        var others = Enumerable.Range(0, count - 1).SelectMany(i => Endings(i, count)).Order().ToArray();
        return (
            $"NOT ({string.Join(" OR ", others.Select(c => $"{keyColumn} LIKE '%{c}'"))}) OR {keyColumn} IS NULL",
            $"{keyColumn} ending in {string.Join(' ', mine)} or any other character");
    }

    private static char[] Endings(int index, int count) =>
        SuffixAlphabet.Where((_, position) => position % count == index).ToArray();

    private static (string Filter, string Share) KeyRange(string keyColumn, int index, int count, IReadOnlyList<string> boundaries)
    {
        var lower = index == 0 ? null : boundaries[index - 1];
        var upper = index == count - 1 ? null : boundaries[index];
        var filter = string.Join(" AND ", new[]
        {
            lower is null ? null : $"{keyColumn} >= {Literal(lower)}",
            upper is null ? null : $"{keyColumn} < {Literal(upper)}",
        }.OfType<string>());
        return (filter, $"{keyColumn} in [{(lower is null ? "-inf" : Literal(lower))}, {(upper is null ? "+inf" : Literal(upper))})");
    }

    /// <summary>A GoogleSQL string literal: single quotes, with backslash, quote and control characters escaped.</summary>
    internal static string Literal(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => sb.Append(@"\\"),
                '\'' => sb.Append(@"\'"),
                _ when c < ' ' => sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => sb.Append(c),
            };
        }

        return sb.Append('\'').ToString();
    }
}

using System.Globalization;
using System.Text;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sources.BigQuery.Internal;

/// <summary>
/// The share of the rows one Cloud Run task reads, as a row restriction built only from validated dates and key
/// boundaries. Tasks cannot share a read session (each CreateReadSession splits rows into streams its own way), so
/// each task creates its own session over a disjoint slice that every task computes identically from its index alone:
/// <list type="bullet">
/// <item>at least as many days as tasks: contiguous blocks of days, block sizes differing by at most one day;</item>
/// <item>otherwise (one day, or <c>--all-dates</c>): the same dates for all, split into ranges of <c>account_id</c>
/// (<c>&gt;= lower AND &lt; upper</c>), which cover every string exactly once whatever the ids are.</item>
/// </list>
/// </summary>
/// <param name="RowRestriction">The restriction for this task, or null for every row.</param>
/// <param name="Description">One plan line naming the share, e.g. <c>task 2/4: account_id in ['V0', 'kV')</c>.</param>
internal sealed record TaskShard(string? RowRestriction, string? Description)
{
    /// <summary>The alphabet of the default key boundaries, in ordinal (and BigQuery) order.</summary>
    internal const string DefaultKeyAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

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

        var boundaries = keyBoundaries ?? DefaultKeyBoundaries(count);
        var lower = index == 0 ? null : boundaries[index - 1];
        var upper = index == count - 1 ? null : boundaries[index];
        var keyFilter = string.Join(" AND ", new[]
        {
            lower is null ? null : $"{keyColumn} >= {Literal(lower)}",
            upper is null ? null : $"{keyColumn} < {Literal(upper)}",
        }.OfType<string>());
        var restriction = dateFilter is null ? keyFilter : $"{dateFilter} AND {keyFilter}";
        var range = $"[{(lower is null ? "-inf" : Literal(lower))}, {(upper is null ? "+inf" : Literal(upper))})";
        return new TaskShard(restriction, $"task {index + 1}/{count}: {keyColumn} in {range} of {partitionColumn} {dates}");
    }

    /// <summary>Evenly spaced two-character split points over <see cref="DefaultKeyAlphabet"/>.</summary>
    public static IReadOnlyList<string> DefaultKeyBoundaries(int count)
    {
        var n = DefaultKeyAlphabet.Length;
        var cells = n * n;
        var boundaries = new List<string>(count - 1);
        for (var k = 1; k < count; k++)
        {
            var cell = (int)((long)k * cells / count);
            boundaries.Add(string.Concat(DefaultKeyAlphabet[cell / n], DefaultKeyAlphabet[cell % n]));
        }

        // 3,844 cells: distinct boundaries up to the 1,000 tasks the options allow without explicit boundaries.
        return boundaries;
    }

    /// <summary>A GoogleSQL string literal: single quotes, with backslash and quote escaped.</summary>
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

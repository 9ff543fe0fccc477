using System.Globalization;

namespace SalesIntel.Pipeline.Cli;

/// <summary>
/// A parsed <c>--date</c> form, not yet resolved: a fixed date, or N days before the run's today (0 for
/// <c>today</c>, 1 for <c>yesterday</c>). Resolved once, when the run starts, in <c>--timezone</c>.
/// </summary>
/// <param name="Fixed">The date given as YYYY-MM-DD, or null for a relative form.</param>
/// <param name="DaysBack">Days before today for a relative form.</param>
public readonly record struct RelativeDateForm(DateOnly? Fixed, int DaysBack)
{
    /// <summary>The calendar date this form names when today is <paramref name="today"/>.</summary>
    public DateOnly Resolve(DateOnly today) => Fixed ?? today.AddDays(-DaysBack);

    /// <inheritdoc />
    public override string ToString() => Fixed is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : DaysBack switch { 0 => "today", 1 => "yesterday", var n => $"today-{n}" };
}

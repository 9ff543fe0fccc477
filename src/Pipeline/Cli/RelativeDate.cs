using System.Globalization;
using System.Text.RegularExpressions;

namespace SalesIntel.Pipeline.Cli;

/// <summary>
/// The date forms <c>--date</c>, <c>--from</c> and <c>--to</c> accept: <c>YYYY-MM-DD</c>, <c>today</c>,
/// <c>yesterday</c> and <c>today-N</c>. The relative forms exist for scheduled runs: a Cloud Run job definition carries
/// <c>--date yesterday</c> and every execution resolves it when it starts, instead of one date frozen at deploy time.
/// </summary>
public static partial class RelativeDate
{
    /// <summary>The forms, for messages and help.</summary>
    public const string Forms = "YYYY-MM-DD, or today, yesterday or today-N (N days before today in --timezone)";

    /// <summary>The calendar date in <paramref name="zone"/> at this instant of <paramref name="time"/>.</summary>
    public static DateOnly Today(TimeProvider time, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);

    /// <summary>Resolves <paramref name="text"/> against <paramref name="today"/>; false for any other form.</summary>
    public static bool TryResolve(string text, DateOnly today, out DateOnly date)
    {
        date = default;
        if (!TryParse(text, out var form) || form.DaysBack > today.DayNumber)
        {
            return false;
        }

        date = form.Resolve(today);
        return true;
    }

    /// <summary>Parses one of the <see cref="Forms"/> without resolving it; false for any other form.</summary>
    public static bool TryParse(string text, out RelativeDateForm form)
    {
        var t = text.Trim();
        form = default;
        if (DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var fixedDate))
        {
            form = new RelativeDateForm(fixedDate, 0);
            return true;
        }

        if (t.Equals("today", StringComparison.OrdinalIgnoreCase))
        {
            form = new RelativeDateForm(null, 0);
            return true;
        }

        if (t.Equals("yesterday", StringComparison.OrdinalIgnoreCase))
        {
            form = new RelativeDateForm(null, 1);
            return true;
        }

        // The upper bound keeps AddDays inside DateOnly's range; a century back is already a mistake.
        if (DaysBack().Match(t) is { Success: true } m
            && int.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n <= 36_500)
        {
            form = new RelativeDateForm(null, n);
            return true;
        }

        return false;
    }

    /// <summary>
    /// The zone <paramref name="id"/> names (IANA ids such as <c>Europe/Paris</c>; <c>UTC</c>), or null when the
    /// system knows no such zone.
    /// </summary>
    public static TimeZoneInfo? FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^today\s*-\s*(?<n>[0-9]{1,5})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DaysBack();
}

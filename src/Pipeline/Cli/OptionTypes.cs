using System.Globalization;
using System.Numerics;
using SalesIntel.Stages.Model;

namespace SalesIntel.Pipeline.Cli;

/// <summary>The value types options are made of; each knows its parse rule, its error phrase and its help form.</summary>
public static class OptionTypes
{
    /// <summary>Free text (paths, ids; checked where they are used).</summary>
    public static OptionType<string?> Text { get; } = new((string text, out string? value) =>
    {
        value = text;
        return true;
    }, "text", v => v ?? "", null);

    /// <summary>A flag: given means true; <c>true</c>/<c>false</c> in the environment or a config file.</summary>
    public static OptionType<bool> Flag { get; } = new(bool.TryParse, "true or false", v => v ? "true" : "false", null);

    /// <summary>A relative or absolute date, resolved against the run's today by <see cref="RelativeDateForm.Resolve"/>.</summary>
    public static OptionType<RelativeDateForm?> Date { get; } = new((string text, out RelativeDateForm? value) =>
    {
        value = RelativeDate.TryParse(text, out var form) ? form : null;
        return value is not null;
    }, "a date " + RelativeDate.Forms, v => v?.ToString() ?? "", null);

    /// <summary>An IANA time zone.</summary>
    public static OptionType<TimeZoneInfo> TimeZone { get; } = new((string text, out TimeZoneInfo value) =>
    {
        value = RelativeDate.FindZone(text) ?? TimeZoneInfo.Utc;
        return RelativeDate.FindZone(text) is not null;
    }, "an IANA time zone such as UTC, Europe/Paris or America/New_York", z => z.Id, null);

    /// <summary>A whole number in <paramref name="bounds"/> (<c>_</c> and <c>,</c> may group digits).</summary>
    public static OptionType<long> Whole(Bounds<long> bounds) => new((string text, out long value) =>
        long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out value) && bounds.Contains(value),
        "a whole number " + bounds.Describe(), v => v.ToString(CultureInfo.InvariantCulture), Range(bounds.Min, bounds.Max, long.MaxValue));

    /// <summary>A whole number in <paramref name="bounds"/>, as an int.</summary>
    public static OptionType<int> Int(Bounds<int> bounds)
    {
        var whole = Whole(new Bounds<long>(bounds.Min, bounds.Max));
        return new((string text, out int value) =>
        {
            var ok = whole.Parse(text, out var n);
            value = (int)n;
            return ok;
        }, whole.Expectation, v => v.ToString(CultureInfo.InvariantCulture), Range(bounds.Min, bounds.Max, int.MaxValue));
    }

    /// <summary>A number in <paramref name="bounds"/>.</summary>
    public static OptionType<double> Number(Bounds<double> bounds) => new((string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && bounds.Contains(value),
        "a number " + bounds.Describe(), v => v.ToString(CultureInfo.InvariantCulture), Range(bounds.Min, bounds.Max, double.MaxValue));

    /// <summary>One of <paramref name="names"/>, case-insensitive, returned as written here.</summary>
    public static OptionType<string> Choice(params string[] names) => new((string text, out string value) =>
    {
        value = names.FirstOrDefault(n => n.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase)) ?? names[0];
        return names.Any(n => n.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase));
    }, "one of " + string.Join(", ", names), v => v, null);

    /// <summary>The same type with "not given" as a value of its own (no limit, the scorer's default, ...).</summary>
    public static OptionType<T?> Optional<T>(OptionType<T> type)
        where T : struct => new((string text, out T? value) =>
        {
            var ok = type.Parse(text, out var v);
            value = ok ? v : null;
            return ok;
        }, type.Expectation, v => v is { } x ? type.Show(x) : "", type.Allowed);

    /// <summary>A text type with "not given" as a value of its own.</summary>
    public static OptionType<string?> Optional(OptionType<string> type) => new((string text, out string? value) =>
    {
        var ok = type.Parse(text, out var v);
        value = ok ? v : null;
        return ok;
    }, type.Expectation, v => v is null ? "" : type.Show(v), type.Allowed);

    // "1 to 512" rather than "1-512": a range may start below zero (--thinking-budget -1 to 32768).
    private static string? Range<T>(T min, T max, T unbounded)
        where T : INumberBase<T> =>
        max == unbounded ? (min == -unbounded - T.One || min == -unbounded ? null : $">= {Show(min)}") : $"{Show(min)} to {Show(max)}";

    // Plain decimals (0.000001, not 1E-06) and grouped whole numbers, as the error messages show them.
    private static string Show<T>(T value)
        where T : INumberBase<T> =>
        value is double d ? d.ToString("0.##########", CultureInfo.InvariantCulture) : string.Format(CultureInfo.InvariantCulture, "{0:N0}", value);
}

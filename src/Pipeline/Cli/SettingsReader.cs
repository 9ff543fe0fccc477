using System.Globalization;

namespace SalesIntel.Pipeline.Cli;

/// <summary>
/// Typed access to <see cref="RawSettings"/> that never throws: every bad value is recorded in <see cref="Errors"/>
/// as one phrase naming the value, where it came from and what is allowed, so start-up reports them all at once.
/// </summary>
public sealed class SettingsReader(RawSettings raw)
{
    /// <summary>Every problem found so far, including the layering errors.</summary>
    public List<string> Errors { get; } = [.. raw.Errors];

    /// <summary>True when the option was given anywhere (command line, environment or config file).</summary>
    public bool IsSet(OptionSpec spec) => raw.Get(spec) is not null;

    /// <summary>A string value, or <paramref name="fallback"/>.</summary>
    public string? String(OptionSpec spec, string? fallback = null) => raw.Get(spec)?.Text ?? fallback;

    /// <summary>A flag.</summary>
    public bool Flag(OptionSpec spec)
    {
        if (raw.Get(spec) is not { } v)
        {
            return false;
        }

        if (bool.TryParse(v.Text, out var b))
        {
            return b;
        }

        Errors.Add($"{Describe(spec, v)} must be true or false");
        return false;
    }

    /// <summary>An integer in [min, max], or <paramref name="fallback"/>.</summary>
    public long? Long(OptionSpec spec, long min, long max, long? fallback = null)
    {
        if (raw.Get(spec) is not { } v)
        {
            return fallback;
        }

        if (long.TryParse(v.Text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        Errors.Add($"{Describe(spec, v)} must be a whole number between {min:N0} and {max:N0}");
        return fallback;
    }

    /// <summary>An int in [min, max], or <paramref name="fallback"/>.</summary>
    public int? Int(OptionSpec spec, int min, int max, int? fallback = null) => (int?)Long(spec, min, max, fallback);

    /// <summary>A number in [min, max], or <paramref name="fallback"/>.</summary>
    public double? Double(OptionSpec spec, double min, double max, double? fallback = null)
    {
        if (raw.Get(spec) is not { } v)
        {
            return fallback;
        }

        if (double.TryParse(v.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= min && d <= max)
        {
            return d;
        }

        Errors.Add($"{Describe(spec, v)} must be a number between {min} and {max}");
        return fallback;
    }

    /// <summary>A date in the form YYYY-MM-DD, or null.</summary>
    public DateOnly? Date(OptionSpec spec)
    {
        if (raw.Get(spec) is not { } v)
        {
            return null;
        }

        if (DateOnly.TryParseExact(v.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        Errors.Add($"{Describe(spec, v)} must be a date YYYY-MM-DD");
        return null;
    }

    /// <summary>A date in one of the <see cref="RelativeDate.Forms"/>, resolved against <paramref name="today"/>, or null.</summary>
    public DateOnly? Date(OptionSpec spec, DateOnly today)
    {
        if (raw.Get(spec) is not { } v)
        {
            return null;
        }

        if (RelativeDate.TryResolve(v.Text, today, out var d))
        {
            return d;
        }

        Errors.Add($"{Describe(spec, v)} must be a date {RelativeDate.Forms}");
        return null;
    }

    /// <summary>A time zone by IANA id, or <paramref name="fallback"/>.</summary>
    public TimeZoneInfo TimeZone(OptionSpec spec, TimeZoneInfo fallback)
    {
        if (raw.Get(spec) is not { } v)
        {
            return fallback;
        }

        if (RelativeDate.FindZone(v.Text) is { } zone)
        {
            return zone;
        }

        Errors.Add($"{Describe(spec, v)} is not a time zone: give an IANA id such as UTC, Europe/Paris or America/New_York");
        return fallback;
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), returned in lower case, or <paramref name="fallback"/>.</summary>
    public string Choice(OptionSpec spec, IReadOnlyList<string> allowed, string fallback)
    {
        if (raw.Get(spec) is not { } v)
        {
            return fallback;
        }

        var match = allowed.FirstOrDefault(a => a.Equals(v.Text, StringComparison.OrdinalIgnoreCase));
        if (match is not null)
        {
            return match;
        }

        Errors.Add($"{Describe(spec, v)} must be one of {string.Join(", ", allowed)}");
        return fallback;
    }

    /// <summary>Records a problem found by cross-checking several options.</summary>
    public void Fail(string problem) => Errors.Add(problem);

    /// <summary>The value with its origin, for messages: <c>--limit 0</c> or <c>--limit 0 (from SALESINTEL_LIMIT)</c>.</summary>
    public string Describe(OptionSpec spec) => raw.Get(spec) is { } v ? Describe(spec, v) : spec.Name;

    private static string Describe(OptionSpec spec, SettingValue v) =>
        v.Origin == spec.Name ? $"{spec.Name} '{v.Text}'" : $"{spec.Name} '{v.Text}' (from {v.Origin})";
}

namespace SalesIntel.Pipeline.Cli;

/// <summary>
/// Typed access to <see cref="RawSettings"/> that never throws: every bad value is recorded in <see cref="Errors"/>
/// as one phrase naming the value, where it came from and what is allowed (from the option's one definition), so
/// start-up reports them all at once.
/// </summary>
public sealed class SettingsReader(RawSettings raw)
{
    // Options already reported as bad, so that checking every option up front and reading it later say it once.
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);

    /// <summary>Every problem found so far, including the layering errors.</summary>
    public List<string> Errors { get; } = [.. raw.Errors];

    /// <summary>
    /// Checks the value of every given option against its type and range, whether or not the chosen source, sink
    /// or scorer will read it: <c>--read-compression gzip</c> with a file source is as wrong as with BigQuery.
    /// </summary>
    public void CheckEvery(IEnumerable<OptionSpec> specs)
    {
        foreach (var spec in specs)
        {
            if (raw.Get(spec) is { } v && !spec.Accepts(v.Text))
            {
                Refuse(spec, v);
            }
        }
    }

    /// <summary>True when the option was given anywhere (command line, environment or config file).</summary>
    public bool IsSet(OptionSpec spec) => raw.Get(spec) is not null;

    /// <summary>The option's value, or its default when it is not given or its value is bad (then recorded in <see cref="Errors"/>).</summary>
    public T Get<T>(OptionSpec<T> spec)
    {
        if (raw.Get(spec) is not { } v)
        {
            return spec.Default;
        }

        if (spec.Type.Parse(v.Text, out var value))
        {
            return value;
        }

        Refuse(spec, v);
        return spec.Default;
    }

    /// <summary>Records a problem found by cross-checking several options.</summary>
    public void Fail(string problem) => Errors.Add(problem);

    /// <summary>The value with its origin, for messages: <c>--limit '0'</c> or <c>--limit '0' (from SALESINTEL_LIMIT)</c>.</summary>
    public string Describe(OptionSpec spec) => raw.Get(spec) is { } v ? Describe(spec, v) : spec.Name;

    private void Refuse(OptionSpec spec, SettingValue v)
    {
        if (_refused.Add(spec.Name))
        {
            Errors.Add($"{Describe(spec, v)} must be {spec.Expectation}");
        }
    }

    private static string Describe(OptionSpec spec, SettingValue v) =>
        v.Origin == spec.Name ? $"{spec.Name} '{v.Text}'" : $"{spec.Name} '{v.Text}' (from {v.Origin})";
}

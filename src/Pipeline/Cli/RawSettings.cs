using System.Text.Json;

namespace SalesIntel.Pipeline.Cli;

/// <summary>
/// The layered raw settings of one command: config file, then environment, then command line, the later winning.
/// Unknown options and malformed command lines are collected as errors, not thrown.
/// </summary>
public sealed class RawSettings
{
    private readonly Dictionary<string, SettingValue> _values = new(StringComparer.Ordinal);

    private RawSettings(IReadOnlyList<OptionSpec> specs) => Specs = specs;

    /// <summary>The options this command knows.</summary>
    public IReadOnlyList<OptionSpec> Specs { get; }

    /// <summary>Problems found while layering (unknown options, missing values, an unreadable config file).</summary>
    public List<string> Errors { get; } = [];

    /// <summary>True when <c>--help</c> or <c>-h</c> was given.</summary>
    public bool HelpRequested { get; private set; }

    /// <summary>The value of an option, or null.</summary>
    public SettingValue? Get(OptionSpec spec) => _values.TryGetValue(spec.Name, out var v) ? v : null;

    /// <summary>Layers the sources. <paramref name="configSpec"/> names the option that points at a config file.</summary>
    public static RawSettings Load(IReadOnlyList<string> args, IReadOnlyList<OptionSpec> specs, OptionSpec? configSpec, Func<string, string?> environment)
    {
        var settings = new RawSettings(specs);
        var cli = settings.ParseCommandLine(args);
        var configPath = cli.TryGetValue(configSpec?.Name ?? "", out var c) ? c : configSpec?.EnvVar is { } env && environment(env) is { Length: > 0 } e ? new SettingValue(e, env) : (SettingValue?)null;
        if (configPath is { } path)
        {
            settings.LoadConfigFile(path);
        }

        foreach (var spec in specs)
        {
            if (spec.EnvVar is { } name && environment(name) is { Length: > 0 } value)
            {
                settings._values[spec.Name] = new SettingValue(value, name);
            }
        }

        foreach (var (name, value) in cli)
        {
            settings._values[name] = value;
        }

        return settings;
    }

    private Dictionary<string, SettingValue> ParseCommandLine(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, SettingValue>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                HelpRequested = true;
                continue;
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? arg[..eq] : arg;
            var spec = Specs.FirstOrDefault(s => s.Name == name);
            if (spec is null)
            {
                Errors.Add(arg.StartsWith('-') ? $"unknown option '{name}'" : $"unexpected argument '{arg}' (options take the form --name value)");
                continue;
            }

            if (spec.IsFlag)
            {
                values[spec.Name] = new SettingValue(eq > 0 ? arg[(eq + 1)..] : "true", spec.Name);
            }
            else if (eq > 0)
            {
                values[spec.Name] = new SettingValue(arg[(eq + 1)..], spec.Name);
            }
            else if (i + 1 < args.Count && !(args[i + 1].StartsWith("--", StringComparison.Ordinal) && Specs.Any(s => s.Name == args[i + 1])))
            {
                values[spec.Name] = new SettingValue(args[++i], spec.Name);
            }
            else
            {
                Errors.Add($"{spec.Name} needs a value ({spec.ValueName})");
            }
        }

        return values;
    }

    private void LoadConfigFile(SettingValue path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path.Text));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                Errors.Add($"config file '{path.Text}' (from {path.Origin}) must hold a JSON object of option names to values");
                return;
            }

            foreach (var property in doc.RootElement.EnumerateObject())
            {
                var spec = Specs.FirstOrDefault(s => s.ConfigKey == property.Name);
                if (spec is null)
                {
                    Errors.Add($"config file '{path.Text}': unknown key \"{property.Name}\"");
                    continue;
                }

                var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                _values[spec.Name] = new SettingValue(text, $"{path.Text} \"{property.Name}\"");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            Errors.Add($"config file '{path.Text}' (from {path.Origin}) cannot be read: {e.Message}");
        }
    }
}

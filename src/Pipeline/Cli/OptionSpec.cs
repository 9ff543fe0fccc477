namespace SalesIntel.Pipeline.Cli;

/// <summary>
/// One command-line option: its name, the environment variable that can also set it, its help text and default.
/// The config-file key is the name without the dashes (<c>--max-rows</c> is <c>"max-rows"</c>).
/// Precedence: command line over environment over config file over the default.
/// </summary>
/// <param name="Name">The option, e.g. <c>--max-rows</c>.</param>
/// <param name="EnvVar">The environment variable, or null.</param>
/// <param name="Help">One line of help.</param>
/// <param name="Default">The default as shown in help, or null.</param>
/// <param name="ValueName">The value placeholder in help, e.g. <c>N</c>; null for a flag.</param>
/// <param name="Group">The help section.</param>
public sealed record OptionSpec(string Name, string? EnvVar, string Help, string? Default, string? ValueName, string Group)
{
    /// <summary>True for an option without a value (<c>--all-dates</c>).</summary>
    public bool IsFlag => ValueName is null;

    /// <summary>The key in a JSON config file.</summary>
    public string ConfigKey => Name.TrimStart('-');
}

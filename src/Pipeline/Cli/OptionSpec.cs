namespace SalesIntel.Pipeline.Cli;

/// <summary>
/// One command-line option as the layering, the help screen and docs/CLI.md see it: name, environment variable,
/// help, value placeholder and section. The typed definition, <see cref="OptionSpec{T}"/>, adds the value type,
/// range and default; every option is one of those, defined once in ScoreOptions / GeminiCliOptions.
/// The config-file key is the name without the dashes (<c>--max-rows</c> is <c>"max-rows"</c>).
/// Precedence: command line over environment over config file over the default.
/// </summary>
/// <param name="Name">The option, e.g. <c>--max-rows</c>.</param>
/// <param name="EnvVar">The environment variable, or null.</param>
/// <param name="Help">One line of help (the range and default are appended from the definition).</param>
/// <param name="ValueName">The value placeholder in help, e.g. <c>N</c>; null for a flag.</param>
/// <param name="Group">The help section.</param>
public abstract record OptionSpec(string Name, string? EnvVar, string Help, string? ValueName, string Group)
{
    /// <summary>True for an option without a value (<c>--all-dates</c>).</summary>
    public bool IsFlag => ValueName is null;

    /// <summary>The key in a JSON config file.</summary>
    public string ConfigKey => Name.TrimStart('-');

    /// <summary>The default as help shows it, or null when there is none to show.</summary>
    public abstract string? DefaultText { get; }

    /// <summary>The allowed values as help shows them (a range or a list), or null when the help says it.</summary>
    public abstract string? AllowedText { get; }

    /// <summary>What a value must be, for messages ("a whole number between 1 and 512").</summary>
    public abstract string Expectation { get; }

    /// <summary>True when <paramref name="text"/> parses as this option's type and lies in its range.</summary>
    public abstract bool Accepts(string text);
}

/// <summary>
/// The one definition of an option: what <see cref="OptionSpec"/> says plus how its text becomes a
/// <typeparamref name="T"/> (type and range, see <see cref="OptionTypes"/>) and its default. Parsing, validation,
/// <c>--help</c> and docs/CLI.md all come from it.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="Name">The option, e.g. <c>--max-rows</c>.</param>
/// <param name="EnvVar">The environment variable, or null.</param>
/// <param name="Help">One line of help.</param>
/// <param name="ValueName">The value placeholder in help; null for a flag.</param>
/// <param name="Group">The help section.</param>
/// <param name="Type">How a value is parsed and checked.</param>
/// <param name="Default">The value when the option is not given anywhere.</param>
public sealed record OptionSpec<T>(string Name, string? EnvVar, string Help, string? ValueName, string Group, OptionType<T> Type, T Default)
    : OptionSpec(Name, EnvVar, Help, ValueName, Group)
{
    /// <summary>
    /// How help shows the default when the value alone would mislead (a default that depends on another option or
    /// on the machine, or none at all: "no limit"); otherwise the default value is shown as parsed text.
    /// </summary>
    public string? ShownDefault { get; init; }

    /// <inheritdoc />
    public override string? DefaultText => ShownDefault ?? (Default is null || IsFlag ? null : Type.Show(Default));

    /// <inheritdoc />
    public override string? AllowedText => Type.Allowed;

    /// <inheritdoc />
    public override string Expectation => Type.Expectation;

    /// <inheritdoc />
    public override bool Accepts(string text) => Type.Parse(text, out _);
}

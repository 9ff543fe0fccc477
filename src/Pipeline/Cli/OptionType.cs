namespace SalesIntel.Pipeline.Cli;

/// <summary>Parses one option value; false when the text is not a value of the type.</summary>
/// <typeparam name="T">The value type.</typeparam>
public delegate bool OptionParser<T>(string text, out T value);

/// <summary>
/// The type of an option's value: how text is parsed and checked, the phrase an error completes
/// (<c>--limit '0' must be {Expectation}</c>), and how a value and the allowed values are shown in help.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="Parse">Text to value; false for a bad value.</param>
/// <param name="Expectation">What a good value is, e.g. <c>a whole number between 1 and 512</c>.</param>
/// <param name="Show">A value as help shows it.</param>
/// <param name="Allowed">The allowed values for help (e.g. <c>1 to 512</c>), or null when the help text says it.</param>
public sealed record OptionType<T>(OptionParser<T> Parse, string Expectation, Func<T, string> Show, string? Allowed);

namespace SalesIntel.Pipeline.Cli;

/// <summary>A raw option value and where it came from, so an error can say which setting to fix.</summary>
/// <param name="Text">The value as given.</param>
/// <param name="Origin">e.g. <c>--limit</c>, <c>SALESINTEL_LIMIT</c>, <c>salesintel.json "limit"</c>.</param>
public readonly record struct SettingValue(string Text, string Origin);

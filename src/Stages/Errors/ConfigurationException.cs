namespace SalesIntel.Stages.Errors;

/// <summary>Bad options or environment: every problem in one message, reported before any work starts.</summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : SalesIntelException(message, isTransient: false, inner);

namespace SalesIntel.Stages.Errors;

/// <summary>A safety guard (<c>--max-rows</c>, <c>--max-bytes</c>) stopped the run before anything was published.</summary>
public sealed class GuardTrippedException(string message) : SalesIntelException(message, isTransient: false);

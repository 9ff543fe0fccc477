namespace SalesIntel.Stages.Errors;

/// <summary>A scorer cannot go on at all (model not found, circuit open, permission denied): fatal for the run.</summary>
public sealed class ScorerException(string message, bool isTransient = false, Exception? inner = null) : SalesIntelException(message, isTransient, inner);

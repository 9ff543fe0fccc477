namespace SalesIntel.Stages.Errors;

/// <summary>A sink cannot write or commit (unwritable folder, schema mismatch, a failed commit).</summary>
public sealed class SinkException(string message, bool isTransient = false, Exception? inner = null) : SalesIntelException(message, isTransient, inner);

namespace SalesIntel.Stages.Errors;

/// <summary>A source cannot be read at all (missing file, wrong schema, missing required column, service refusal).</summary>
public sealed class SourceException(string message, bool isTransient = false, Exception? inner = null) : SalesIntelException(message, isTransient, inner);

namespace SalesIntel.Stages.Decode;

/// <summary>
/// A value in an Arrow row that BigQuery would not hold (a DATE or TIMESTAMP outside 0001..9999, a NUMERIC beyond
/// 29 integer or 9 fractional digits, invalid UTF-8, a null ARRAY element). The decoder turns it into a dead letter
/// with <see cref="Reason"/>, the same reason the CSV and JSON Lines readers give for the same value.
/// </summary>
internal sealed class RowValueException(string reason, string message) : Exception(message)
{
    /// <summary>The dead-letter reason, e.g. <c>unparsable_value</c>, <c>invalid_utf8</c>.</summary>
    public string Reason { get; } = reason;
}

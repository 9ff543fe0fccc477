using System.Buffers;
using System.Text.Json;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>The rule and message of a field over <see cref="ColumnBuilder.MaxFieldBytes"/>.</summary>
internal static class FieldTooLarge
{
    public const string Reason = "field_too_large";

    public static string Describe(long bytes) =>
        $"is {bytes:N0} bytes, over the limit of {ColumnBuilder.MaxFieldBytes:N0} bytes per field; shorten it";

    /// <summary>
    /// The size of the JSON string token under <paramref name="reader"/> as the value it stands for, or null when
    /// that is within the limit. The limit is on the value, as CSV measures it: 600,000 escaped quotes are
    /// 1.2 MB of JSON text and 600 KB of value. Unescaping costs only when the text alone is over the limit.
    /// </summary>
    public static int? OverLimit(ref Utf8JsonReader reader)
    {
        var written = reader.ValueSpan.Length;
        if (written <= ColumnBuilder.MaxFieldBytes)
        {
            return null;
        }

        if (!reader.ValueIsEscaped)
        {
            return written;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(written);
        try
        {
            var decoded = reader.CopyString(buffer);
            return decoded > ColumnBuilder.MaxFieldBytes ? decoded : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SalesIntel.Stages.Sinks.Files;

/// <summary>The text forms the CSV and JSON Lines sinks share, so both agree value for value.</summary>
internal static class RecommendationFormats
{
    private static readonly JsonWriterOptions ActionsOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string Double(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    public static string Long(long? l) => l?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>The actions as a JSON array, written directly (no reflection, so it also works trimmed).</summary>
    public static string ActionsJson(IReadOnlyList<string> actions)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, ActionsOptions))
        {
            w.WriteStartArray();
            foreach (var a in actions)
            {
                w.WriteStringValue(a);
            }

            w.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

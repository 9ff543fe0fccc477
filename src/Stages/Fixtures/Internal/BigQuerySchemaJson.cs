using System.Text;
using System.Text.Json;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Fixtures.Internal;

/// <summary>Writes a table schema in BigQuery's JSON schema form (what <c>bq show --schema</c> prints and <see cref="TableSchema.ParseBigQueryJson"/> reads).</summary>
internal static class BigQuerySchemaJson
{
    public static string Write(TableSchema schema)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            WriteFields(writer, schema.Fields);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static void WriteFields(Utf8JsonWriter writer, IReadOnlyList<BqField> fields)
    {
        writer.WriteStartArray();
        foreach (var field in fields)
        {
            writer.WriteStartObject();
            writer.WriteString("name", field.Name);
            writer.WriteString("type", TypeName(field.Type));
            writer.WriteString("mode", field.Repeated ? "REPEATED" : field.Required ? "REQUIRED" : "NULLABLE");
            if (field.Type == BqType.Struct)
            {
                writer.WritePropertyName("fields");
                WriteFields(writer, field.Children);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static string TypeName(BqType type) => type switch
    {
        BqType.Float64 => "FLOAT64",
        BqType.BigNumeric => "BIGNUMERIC",
        BqType.DateTime => "DATETIME",
        BqType.Struct => "STRUCT",
        _ => type.ToString().ToUpperInvariant(),
    };
}

using System.Text.Json;

namespace SalesIntel.Stages.Model;

/// <summary>An ordered list of columns, as BigQuery describes a table.</summary>
public sealed class TableSchema
{
    private readonly Dictionary<string, int> _indexByName;

    /// <summary>Creates a schema; column names must be unique (case-insensitive, as in BigQuery).</summary>
    public TableSchema(IReadOnlyList<BqField> fields)
    {
        Fields = fields;
        _indexByName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < fields.Count; i++)
        {
            if (!_indexByName.TryAdd(fields[i].Name, i))
            {
                throw new ArgumentException($"column '{fields[i].Name}' appears twice in the schema", nameof(fields));
            }
        }
    }

    /// <summary>The columns in table order.</summary>
    public IReadOnlyList<BqField> Fields { get; }

    /// <summary>The index of a column, or -1.</summary>
    public int IndexOf(string name) => _indexByName.TryGetValue(name, out var i) ? i : -1;

    /// <summary>The column with this name, or null.</summary>
    public BqField? Find(string name) => IndexOf(name) is var i and >= 0 ? Fields[i] : null;

    /// <summary>Reads a schema in BigQuery's JSON form: <c>[{"name":..,"type":..,"mode":..,"fields":[..]}]</c>.</summary>
    public static TableSchema ParseBigQueryJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return new TableSchema(ParseFields(doc.RootElement));
    }

    private static List<BqField> ParseFields(JsonElement array)
    {
        var fields = new List<BqField>();
        foreach (var f in array.EnumerateArray())
        {
            var name = f.GetProperty("name").GetString() ?? throw new FormatException("a schema field has no name");
            var typeName = f.GetProperty("type").GetString() ?? "";
            var mode = f.TryGetProperty("mode", out var m) ? m.GetString() ?? "NULLABLE" : "NULLABLE";
            var children = f.TryGetProperty("fields", out var c) ? ParseFields(c) : null;
            fields.Add(new BqField(name, ParseType(typeName, name), mode.Equals("REQUIRED", StringComparison.OrdinalIgnoreCase),
                mode.Equals("REPEATED", StringComparison.OrdinalIgnoreCase), children));
        }

        return fields;
    }

    /// <summary>Parses a BigQuery type name, legacy aliases included (INTEGER, FLOAT, BOOLEAN, RECORD, BIGDECIMAL).</summary>
    public static BqType ParseType(string typeName, string column) => typeName.ToUpperInvariant() switch
    {
        "STRING" => BqType.String,
        "INT64" or "INTEGER" => BqType.Int64,
        "FLOAT64" or "FLOAT" => BqType.Float64,
        "NUMERIC" or "DECIMAL" => BqType.Numeric,
        "BIGNUMERIC" or "BIGDECIMAL" => BqType.BigNumeric,
        "BOOL" or "BOOLEAN" => BqType.Bool,
        "BYTES" => BqType.Bytes,
        "DATE" => BqType.Date,
        "DATETIME" => BqType.DateTime,
        "TIME" => BqType.Time,
        "TIMESTAMP" => BqType.Timestamp,
        "GEOGRAPHY" => BqType.Geography,
        "JSON" => BqType.Json,
        "STRUCT" or "RECORD" => BqType.Struct,
        _ => throw new FormatException($"column '{column}' has unknown BigQuery type '{typeName}'"),
    };
}

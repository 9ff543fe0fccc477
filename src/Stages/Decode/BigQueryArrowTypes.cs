using Apache.Arrow;
using Apache.Arrow.Types;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Decode;

/// <summary>
/// The Arrow types BigQuery's Storage Read API uses for each column type, both ways. Every source produces these
/// Arrow types, so files and BigQuery decode through the same code and give byte-identical output.
/// </summary>
public static class BigQueryArrowTypes
{
    /// <summary>The Arrow field metadata key BigQuery uses to mark GEOGRAPHY and JSON strings.</summary>
    public const string ExtensionNameKey = "ARROW:extension:name";

    /// <summary>Extension name of a GEOGRAPHY column (WKT text).</summary>
    public const string GeographyExtension = "google:sqlType:geography";

    /// <summary>Extension name of a JSON column.</summary>
    public const string JsonExtension = "google:sqlType:json";

    /// <summary>NUMERIC: decimal128(38, 9).</summary>
    public static Decimal128Type Numeric { get; } = new(38, 9);

    /// <summary>BIGNUMERIC: decimal256(76, 38).</summary>
    public static Decimal256Type BigNumeric { get; } = new(76, 38);

    /// <summary>TIMESTAMP: microseconds, UTC.</summary>
    public static TimestampType Timestamp { get; } = new(TimeUnit.Microsecond, "UTC");

    /// <summary>DATETIME: microseconds, no time zone.</summary>
    public static TimestampType DateTime { get; } = new(TimeUnit.Microsecond, (string?)null);

    /// <summary>TIME: microseconds since midnight.</summary>
    public static Time64Type Time { get; } = new(TimeUnit.Microsecond);

    /// <summary>The Arrow schema of a table schema.</summary>
    public static Schema ToArrowSchema(TableSchema schema)
    {
        var builder = new Schema.Builder();
        foreach (var f in schema.Fields)
        {
            builder.Field(ToArrowField(f));
        }

        return builder.Build();
    }

    /// <summary>The Arrow field BigQuery sends for a column.</summary>
    public static Field ToArrowField(BqField field)
    {
        var element = ElementType(field);
        var metadata = field.Type switch
        {
            BqType.Geography => new Dictionary<string, string> { [ExtensionNameKey] = GeographyExtension },
            BqType.Json => new Dictionary<string, string> { [ExtensionNameKey] = JsonExtension },
            _ => null,
        };
        if (!field.Repeated)
        {
            return new Field(field.Name, element, nullable: !field.Required, metadata);
        }

        // BigQuery sends an ARRAY as a list of non-null elements; the element carries the extension metadata.
        var item = new Field("item", element, nullable: false, metadata);
        return new Field(field.Name, new ListType(item), nullable: false);
    }

    private static IArrowType ElementType(BqField field) => field.Type switch
    {
        BqType.String or BqType.Geography or BqType.Json => StringType.Default,
        BqType.Int64 => Int64Type.Default,
        BqType.Float64 => DoubleType.Default,
        BqType.Numeric => Numeric,
        BqType.BigNumeric => BigNumeric,
        BqType.Bool => BooleanType.Default,
        BqType.Bytes => BinaryType.Default,
        BqType.Date => Date32Type.Default,
        BqType.DateTime => DateTime,
        BqType.Time => Time,
        BqType.Timestamp => Timestamp,
        BqType.Struct => new StructType(field.Children.Select(ToArrowField).ToList()),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field.Type, "unknown BigQuery type"),
    };

    /// <summary>The table schema an Arrow schema describes, or a list of the fields that map to no BigQuery type.</summary>
    public static TableSchema ToTableSchema(Schema arrow)
    {
        var problems = new List<string>();
        var fields = new List<BqField>();
        // BigQuery column names are case-insensitive, so 'Notes' and 'notes' are one column named twice.
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < arrow.FieldsList.Count; i++)
        {
            var f = arrow.FieldsList[i];
            if (!seen.TryAdd(f.Name, i))
            {
                problems.Add($"column '{f.Name}' appears twice (schema fields {seen[f.Name] + 1} and {i + 1})");
                continue;
            }

            if (TryToBqField(f, out var bq, out var problem))
            {
                fields.Add(bq);
            }
            else
            {
                problems.Add(problem);
            }
        }

        if (problems.Count > 0)
        {
            throw new FormatException(string.Join("; ", problems));
        }

        return new TableSchema(fields);
    }

    private static bool TryToBqField(Field f, out BqField field, out string problem)
    {
        problem = "";
        if (f.DataType is ListType list)
        {
            if (!TryToBqField(list.ValueField, out var element, out problem))
            {
                field = null!;
                return false;
            }

            field = element with { Name = f.Name, Repeated = true, Required = false };
            return true;
        }

        string? extension = null;
        f.Metadata?.TryGetValue(ExtensionNameKey, out extension);
        BqType? type = f.DataType switch
        {
            StringType when extension == GeographyExtension => BqType.Geography,
            StringType when extension == JsonExtension => BqType.Json,
            StringType => BqType.String,
            Int64Type => BqType.Int64,
            DoubleType => BqType.Float64,
            Decimal128Type => BqType.Numeric,
            Decimal256Type => BqType.BigNumeric,
            BooleanType => BqType.Bool,
            BinaryType => BqType.Bytes,
            Date32Type => BqType.Date,
            TimestampType { Unit: TimeUnit.Microsecond, Timezone: null or "" } => BqType.DateTime,
            TimestampType { Unit: TimeUnit.Microsecond } => BqType.Timestamp,
            Time64Type { Unit: TimeUnit.Microsecond } => BqType.Time,
            StructType => BqType.Struct,
            _ => null,
        };
        if (type is null)
        {
            field = null!;
            problem = $"column '{f.Name}' has Arrow type {f.DataType.Name}, which BigQuery does not send";
            return false;
        }

        List<BqField>? children = null;
        if (f.DataType is StructType st)
        {
            children = [];
            foreach (var child in st.Fields)
            {
                if (!TryToBqField(child, out var c, out problem))
                {
                    field = null!;
                    return false;
                }

                children.Add(c);
            }
        }

        field = new BqField(f.Name, type.Value, Required: !f.IsNullable, Fields: children);
        return true;
    }
}

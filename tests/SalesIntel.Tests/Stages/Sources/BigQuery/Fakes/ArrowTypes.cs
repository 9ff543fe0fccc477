using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

/// <summary>Renders Arrow schemas in full (types, units, zones, precision, nullability, metadata) for comparisons.</summary>
internal static class ArrowTypes
{
    public static string Describe(Schema schema) => string.Join("\n", schema.FieldsList.Select(Describe));

    public static string Describe(Field field)
    {
        var sb = new StringBuilder($"{field.Name}{(field.IsNullable ? "" : " not null")}: {Describe(field.DataType)}");
        if (field.HasMetadata)
        {
            sb.Append(" {").AppendJoin(", ", field.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}")).Append('}');
        }

        return sb.ToString();
    }

    private static string Describe(IArrowType type) => type switch
    {
        TimestampType t => $"timestamp({t.Unit}, {t.Timezone ?? "no zone"})",
        Time64Type t => $"time64({t.Unit})",
        Decimal128Type d => $"decimal128({d.Precision}, {d.Scale})",
        Decimal256Type d => $"decimal256({d.Precision}, {d.Scale})",
        ListType l => $"list<{Describe(l.ValueField)}>",
        StructType s => $"struct<{string.Join(", ", s.Fields.Select(Describe))}>",
        _ => type.Name,
    };
}

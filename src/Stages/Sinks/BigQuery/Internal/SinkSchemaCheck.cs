using SalesIntel.Stages.Model;
using ProtoField = SalesIntel.Stages.Protos.BigQueryStorage.TableFieldSchema;
using ProtoSchema = SalesIntel.Stages.Protos.BigQueryStorage.TableSchema;

namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>
/// Checks that a table can take the rows the sink writes: every column exists with a type the Write API converts our
/// proto field into, arrays are REPEATED, a REQUIRED column is one we always fill, and no other REQUIRED column
/// (without a default) would be left empty.
/// </summary>
internal static class SinkSchemaCheck
{
    /// <summary>The problems, one short phrase each; empty when the table fits.</summary>
    public static IReadOnlyList<string> Problems(ProtoSchema? actual, TableSchema expected)
    {
        var problems = new List<string>();
        var byName = new Dictionary<string, ProtoField>(StringComparer.OrdinalIgnoreCase);
        foreach (var f in actual?.Fields ?? [])
        {
            byName[f.Name] = f;
        }

        var missing = new List<string>();
        foreach (var want in expected.Fields)
        {
            if (!byName.Remove(want.Name, out var have))
            {
                missing.Add(want.Name);
                continue;
            }

            if (!Accepts(want.Type, have.Type))
            {
                problems.Add($"{want.Name} is {Describe(have)}, expected {want.TypeName}");
            }
            else if (want.Repeated != (have.Mode == ProtoField.Types.Mode.Repeated))
            {
                problems.Add($"{want.Name} is {Describe(have)}, expected {want.TypeName}");
            }
            else if (have.Mode == ProtoField.Types.Mode.Required && !want.Required)
            {
                problems.Add($"{want.Name} is REQUIRED but may be NULL (make it NULLABLE)");
            }
        }

        if (missing.Count > 0)
        {
            problems.Insert(0, "missing column" + (missing.Count > 1 ? "s " : " ") + string.Join(", ", missing));
        }

        foreach (var extra in byName.Values)
        {
            if (extra.Mode == ProtoField.Types.Mode.Required && string.IsNullOrEmpty(extra.DefaultValueExpression))
            {
                problems.Add($"{extra.Name} is REQUIRED without a default and SalesIntel does not write it");
            }
        }

        return problems;
    }

    /// <summary>True when a column of type <paramref name="have"/> accepts the proto field we send for <paramref name="want"/>.</summary>
    private static bool Accepts(BqType want, ProtoField.Types.Type have) => want switch
    {
        BqType.String => have == ProtoField.Types.Type.String,
        // int64 converts into INT64 and, exactly, into NUMERIC and BIGNUMERIC.
        BqType.Int64 => have is ProtoField.Types.Type.Int64 or ProtoField.Types.Type.Numeric or ProtoField.Types.Type.Bignumeric,
        BqType.Float64 => have == ProtoField.Types.Type.Double,
        BqType.Date => have == ProtoField.Types.Type.Date,
        BqType.Timestamp => have == ProtoField.Types.Type.Timestamp,
        // JSON columns take a string holding JSON text.
        BqType.Json => have is ProtoField.Types.Type.Json or ProtoField.Types.Type.String,
        _ => false,
    };

    private static string Describe(ProtoField f)
    {
        var type = f.Type switch
        {
            ProtoField.Types.Type.Double => "FLOAT64",
            ProtoField.Types.Type.Bool => "BOOL",
            _ => f.Type.ToString().ToUpperInvariant(),
        };
        return f.Mode == ProtoField.Types.Mode.Repeated ? $"ARRAY<{type}>" : type;
    }
}

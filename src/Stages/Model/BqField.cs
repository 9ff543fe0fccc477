namespace SalesIntel.Stages.Model;

/// <summary>One column of a BigQuery table schema. <paramref name="Repeated"/> marks an ARRAY of <paramref name="Type"/>.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Type">The element type.</param>
/// <param name="Required">True for mode REQUIRED: a null is a bad row.</param>
/// <param name="Repeated">True for mode REPEATED (an ARRAY column).</param>
/// <param name="Fields">The child fields of a STRUCT; empty otherwise.</param>
public sealed record BqField(string Name, BqType Type, bool Required = false, bool Repeated = false, IReadOnlyList<BqField>? Fields = null)
{
    /// <summary>The child fields of a STRUCT, never null.</summary>
    public IReadOnlyList<BqField> Children => Fields ?? [];

    /// <summary>The type as BigQuery spells it in DDL, e.g. <c>ARRAY&lt;STRING&gt;</c>.</summary>
    public string TypeName => Repeated ? $"ARRAY<{ElementTypeName}>" : ElementTypeName;

    private string ElementTypeName => Type switch
    {
        BqType.Struct => "STRUCT<" + string.Join(", ", Children.Select(f => $"{f.Name} {f.TypeName}")) + ">",
        BqType.Float64 => "FLOAT64",
        BqType.BigNumeric => "BIGNUMERIC",
        BqType.DateTime => "DATETIME",
        _ => Type.ToString().ToUpperInvariant(),
    };
}

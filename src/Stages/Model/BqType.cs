namespace SalesIntel.Stages.Model;

/// <summary>The BigQuery column types, as named in BigQuery's own schema JSON.</summary>
public enum BqType
{
    String,
    Int64,
    Float64,
    Numeric,
    BigNumeric,
    Bool,
    Bytes,
    Date,
    DateTime,
    Time,
    Timestamp,
    Geography,
    Json,
    Struct,
}

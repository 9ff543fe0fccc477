using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Formats.Text;

/// <summary>The value forms a reader expects, as named in error messages (and in docs/FILE_FORMATS.md).</summary>
internal static class ValueForms
{
    public static string Expected(BqField field) => field.Repeated
        ? "a JSON array such as [\"a\",\"b\"] (elements in the JSON forms of docs/FILE_FORMATS.md)"
        : field.Type switch
        {
            BqType.String => "text",
            BqType.Geography => "WKT text such as POINT(-122.35 47.62)",
            BqType.Json => "valid JSON text",
            BqType.Int64 => "a whole number such as 42",
            BqType.Float64 => "a number such as 0.75, or NaN, Infinity, -Infinity (also inf, any case)",
            BqType.Numeric => "an exact decimal such as 1234.56 (at most 29 digits before the point and 9 after)",
            BqType.BigNumeric => "an exact decimal (at most 38 digits before the point and 38 after)",
            BqType.Bool => "true or false",
            BqType.Bytes => "base64 such as aGVsbG8=",
            BqType.Date => "yyyy-MM-dd such as 2026-11-27",
            BqType.DateTime => "yyyy-MM-ddTHH:mm:ss[.ffffff] such as 2026-11-27T09:30:00",
            BqType.Time => "HH:mm:ss[.ffffff] such as 09:30:00",
            BqType.Timestamp => "ISO 8601 with Z or an offset such as 2026-11-27T09:30:00Z, or 2026-11-27 09:30:00.123456 UTC",
            BqType.Struct => "a JSON object such as {\"name\":\"x\"}",
            _ => field.TypeName,
        };

    public static string ExpectedJson(BqField field) => field.Repeated
        ? "a JSON array"
        : field.Type switch
        {
            BqType.String or BqType.Geography => "a JSON string",
            BqType.Json => "any JSON value",
            BqType.Int64 => "a JSON integer or a string holding one",
            BqType.Float64 => "a JSON number, or the string \"NaN\", \"Infinity\" or \"-Infinity\"",
            BqType.Numeric or BqType.BigNumeric => "a decimal as a JSON string or number",
            BqType.Bool => "true or false",
            BqType.Bytes => "a base64 JSON string",
            BqType.Date or BqType.DateTime or BqType.Time or BqType.Timestamp => $"a JSON string in the form {Expected(field)}",
            BqType.Struct => "a JSON object",
            _ => field.TypeName,
        };
}

using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using CsCheck;
using SalesIntel.Stages.Formats.Text;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.Files.Internal;

namespace SalesIntel.Tests.Stages.Sources.Files;

/// <summary>
/// CsCheck generators of random rows for any <see cref="TableSchema"/>: every BigQuery type, NULLs, the ends of every
/// range (INT64 and NUMERIC extremes, DATE 0001-01-01 and 9999-12-31, NaN and the infinities, empty strings and
/// bytes) and text that is hard to carry (quotes, commas, line breaks, tabs, backslashes, non-ASCII, emoji,
/// formula-like starts). A row is its cells in BigQuery's CSV text forms (nested values as JSON), which
/// <see cref="ToBatch"/> turns into an Arrow batch through the same builder the CSV source uses.
/// </summary>
internal static class RandomAccounts
{
    private static readonly BigInteger NumericLimit = BigInteger.Pow(10, 38);
    private static readonly BigInteger BigNumericLimit = BigInteger.Pow(10, 76);

    /// <summary>Rows of <paramref name="schema"/>: <paramref name="min"/> to <paramref name="max"/> of them.</summary>
    public static Gen<string?[][]> Rows(TableSchema schema, int min, int max) => Row(schema).Array[min, max];

    /// <summary>One row: a cell per column, in the schema's order; null is NULL.</summary>
    public static Gen<string?[]> Row(TableSchema schema)
    {
        var row = Gen.Const(System.Array.Empty<string?>());
        foreach (var field in schema.Fields)
        {
            var cell = TopLevel(field);
            row = row.SelectMany(cells => cell.Select(c => (string?[])[.. cells, c]));
        }

        return row;
    }

    /// <summary>An Arrow batch of <paramref name="rows"/>, built by the CSV source's column builders from the text forms.</summary>
    public static RecordBatch ToBatch(TableSchema schema, IReadOnlyList<string?[]> rows)
    {
        var builder = new RowBatchBuilder(schema, Math.Max(1, rows.Count));
        foreach (var row in rows)
        {
            for (var c = 0; c < builder.Columns.Length; c++)
            {
                var column = builder.Columns[c];
                switch (row[c])
                {
                    case null:
                        column.AppendNull();
                        break;
                    case "" when column is StringColumnBuilder s:
                        s.Append([]);
                        break;
                    case "" when column is BinaryColumnBuilder b:
                        b.Append([]);
                        break;
                    case var text when !column.TryAppendText(Encoding.UTF8.GetBytes(text), out var problem):
                        throw new InvalidOperationException($"generated value '{text}' of {column.Field.Name} was refused: {problem}");
                }
            }

            builder.Commit();
        }

        return builder.Build();
    }

    private static Gen<string?> TopLevel(BqField field)
    {
        if (field.Repeated)
        {
            // A NULL array is the empty array in every format BigQuery reads, so generating both would only test that.
            return JsonArray(field).Select(a => (string?)a);
        }

        var value = field.Type == BqType.Struct ? JsonObject(field) : Text(field.Type);
        return field.Required ? value.Select(v => (string?)v) : Gen.Frequency((1, Gen.Const((string?)null)), (4, value.Select(v => (string?)v)));
    }

    /// <summary>The CSV text form of a scalar of <paramref name="type"/>.</summary>
    private static Gen<string> Text(BqType type) => type switch
    {
        BqType.String => HardText,
        BqType.Int64 => Gen.Frequency((1, Gen.OneOf("0", "-9223372036854775808", "9223372036854775807", "9007199254740993")), (4, Gen.Long.Select(Invariant))),
        BqType.Float64 => Gen.Frequency(
            (1, Gen.OneOf("NaN", "Infinity", "-Infinity", "-0", "4.9406564584124654E-324", "1.7976931348623157E+308")),
            (4, Gen.Double.Where(double.IsFinite).Select(d => d.ToString("R", CultureInfo.InvariantCulture)))),
        BqType.Numeric => Scaled(NumericLimit, 9),
        BqType.BigNumeric => Scaled(BigNumericLimit, 38),
        BqType.Bool => Gen.OneOf("true", "false"),
        BqType.Bytes => Gen.Byte.Array[0, 24].Select(Convert.ToBase64String),
        BqType.Date => Gen.Frequency((1, Gen.OneOf(TemporalText.MinDateDay, TemporalText.MaxDateDay)), (4, Gen.Int[TemporalText.MinDateDay, TemporalText.MaxDateDay]))
            .Select(day => DateOnly.FromDayNumber(day - TemporalText.MinDateDay).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        BqType.Timestamp => Micros.Select(m => Moment(m).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)),
        BqType.DateTime => Micros.Select(m => Moment(m).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture)),
        BqType.Time => Gen.Long[0, (86_400L * 1_000_000) - 1].Select(m => new TimeOnly(m * 10).ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture)),
        BqType.Geography => Gen.OneOf("POINT(-122.35 47.62)", "LINESTRING(0 0, 1 1)", "POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))"),
        BqType.Json => Gen.Frequency(
            (1, Gen.OneOf("null", "[]", "{}", "[1, 2.5, -3e-7, \"x\"]", "{\"nested\":{\"a\":[{}]}}")),
            (3, Gen.Select(HardText, Gen.Long).Select((s, n) => JsonSerializer.Serialize(new Dictionary<string, object> { ["text"] = s, ["n"] = n })))),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no text generator"),
    };

    /// <summary>A value as it appears inside a STRUCT or ARRAY's JSON text.</summary>
    private static Gen<string> JsonValue(BqField field)
    {
        if (field.Repeated)
        {
            return JsonArray(field);
        }

        var value = field.Type switch
        {
            BqType.Struct => JsonObject(field),
            BqType.Int64 or BqType.Bool => Text(field.Type),
            BqType.Float64 => Gen.Double.Where(double.IsFinite).Select(d => d.ToString("R", CultureInfo.InvariantCulture)),
            _ => Text(field.Type).Select(s => JsonSerializer.Serialize(s)),
        };
        return field.Required ? value : Gen.Frequency((1, Gen.Const("null")), (4, value));
    }

    private static Gen<string> JsonArray(BqField field)
    {
        var element = field with { Repeated = false, Required = true };
        return JsonValue(element).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]");
    }

    private static Gen<string> JsonObject(BqField field)
    {
        var members = Gen.Const(System.Array.Empty<string>());
        foreach (var child in field.Children)
        {
            var value = JsonValue(child);
            members = members.SelectMany(done => value.Select(v => (string[])[.. done, JsonSerializer.Serialize(child.Name) + ":" + v]));
        }

        return members.Select(m => "{" + string.Join(",", m) + "}");
    }

    /// <summary>Text built from the pieces formats find hard to carry.</summary>
    private static Gen<string> HardText { get; } =
        Gen.OneOf("a", "Z", "0", " ", "\"", ",", "\n", "\r\n", "\t", "\\", "é", "株式会社", "😀", "=", "-", "'", "{", "}", "null", "\uFFFD")
            .Array[0, 8]
            .Select(parts => string.Concat(parts));

    private static Gen<long> Micros { get; } = Gen.Frequency(
        (1, Gen.OneOf(TemporalText.MinMicros, TemporalText.MaxMicros, 0L)),
        (4, Gen.Long[TemporalText.MinMicros, TemporalText.MaxMicros]));

    private static DateTime Moment(long unixMicros) => DateTime.UnixEpoch.AddTicks(unixMicros * 10);

    /// <summary>A decimal below <paramref name="limit"/> in magnitude (unscaled) with <paramref name="scale"/> fraction digits, as text.</summary>
    private static Gen<string> Scaled(BigInteger limit, int scale) =>
        Gen.Frequency(
            (1, Gen.OneOf(limit - 1, -(limit - 1), BigInteger.One, BigInteger.MinusOne, BigInteger.Zero)),
            (4, Gen.Select(Gen.UInt128, Gen.UInt128, Gen.Bool).Select((hi, lo, negative) =>
            {
                var magnitude = (((BigInteger)hi << 128) + (BigInteger)lo) % limit;
                return negative ? -magnitude : magnitude;
            })))
        .Select(unscaled =>
        {
            var digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
            var sign = unscaled.Sign < 0 ? "-" : "";
            return $"{sign}{digits[..^scale]}.{digits[^scale..]}";
        });

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}

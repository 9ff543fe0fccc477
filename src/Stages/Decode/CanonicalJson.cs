using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Numerics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Apache.Arrow;
using SalesIntel.Stages.Formats.Text;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Decode;

/// <summary>
/// The one serializer that turns a row into JSON, for prompts and for input hashes. It follows BigQuery's
/// <c>TO_JSON_STRING</c> conventions and reads the Arrow arrays directly, so no value ever passes through a
/// general-purpose object serializer (the old system's "Object of type date is not JSON serializable").
/// Stable by construction: keys sorted ordinally at every level, one number format, UTC timestamps.
/// <list type="bullet">
/// <item>INT64: a number within ±2^53, else a string (JSON numbers beyond that lose digits in most parsers).</item>
/// <item>NUMERIC, BIGNUMERIC: exact decimal digits, never through double; a number when integral and within ±2^53, else a string.</item>
/// <item>FLOAT64: shortest round-trip number; NaN, Infinity, -Infinity as strings.</item>
/// <item>DATE <c>2024-05-01</c>; DATETIME <c>2024-05-01T10:20:30[.ffffff]</c>; TIME <c>10:20:30[.ffffff]</c>;
/// TIMESTAMP <c>2024-05-01T10:20:30[.ffffff]Z</c> in UTC; fractions only when non-zero, always six digits.</item>
/// <item>BYTES base64; BOOL true/false; STRING and GEOGRAPHY (WKT) as strings, unicode unescaped; JSON inline, compacted.</item>
/// <item>ARRAY as a JSON array; STRUCT as an object; NULL as null.</item>
/// </list>
/// </summary>
public sealed class CanonicalJson
{
    private const long MaxSafeInteger = 9_007_199_254_740_992; // 2^53

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    private readonly TableSchema _schema;
    private readonly int[] _sortedColumns;
    private readonly int[][] _sortedChildren;
    private readonly JsonEncodedText[] _names;
    private readonly BqField[] _elements;
    private readonly ArrayBufferWriter<byte> _buffer = new(2048);
    private readonly Utf8JsonWriter _writer;

    /// <summary>Creates a serializer for rows of <paramref name="schema"/>. Not thread-safe: one per decoding thread.</summary>
    public CanonicalJson(TableSchema schema)
    {
        _schema = schema;
        _sortedColumns = SortedIndexes(schema.Fields);
        _sortedChildren = schema.Fields.Select(f => SortedIndexes(f.Children)).ToArray();
        _names = schema.Fields.Select(f => JsonEncodedText.Encode(f.Name, WriterOptions.Encoder)).ToArray();
        _elements = schema.Fields.Select(f => f with { Repeated = false }).ToArray();
        _writer = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    /// <summary>Serializes row <paramref name="row"/> of <paramref name="batch"/> (whose columns follow the schema order) and returns the UTF-8 bytes, valid until the next call.</summary>
    public ReadOnlySpan<byte> Write(RecordBatch batch, int row)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        _writer.WriteStartObject();
        foreach (var c in _sortedColumns)
        {
            var field = _schema.Fields[c];
            _writer.WritePropertyName(_names[c]);
            if (c >= batch.ColumnCount)
            {
                // A column the schema has and the batch lacks (see WithAccountSignalsColumns): what BigQuery
                // stores for a column never written, an empty array when REPEATED and NULL otherwise.
                WriteMissing(field);
                continue;
            }

            WriteValue(batch.Column(c), row, field, _sortedChildren[c], _elements[c]);
        }

        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenSpan;
    }

    /// <summary>
    /// <paramref name="table"/> with the account_signals columns it lacks appended. CSV and JSON Lines batches always
    /// carry every account_signals column, an Arrow file may leave optional ones out (notes, intent_topics): writing
    /// rows against this schema makes the same account give the same canonical JSON and input_hash from every format.
    /// </summary>
    public static TableSchema WithAccountSignalsColumns(TableSchema table)
    {
        var missing = AccountSignalsTable.Schema.Fields.Where(f => table.IndexOf(f.Name) < 0).ToList();
        return missing.Count == 0 ? table : new TableSchema([.. table.Fields, .. missing]);
    }

    private void WriteMissing(BqField field)
    {
        if (field.Repeated)
        {
            _writer.WriteStartArray();
            _writer.WriteEndArray();
        }
        else
        {
            _writer.WriteNullValue();
        }
    }

    /// <summary>The input hash of canonical JSON bytes: XXH128, lower-case hex.</summary>
    public static string Hash(ReadOnlySpan<byte> json)
    {
        Span<byte> digest = stackalloc byte[16];
        XxHash128.Hash(json, digest);
        return Convert.ToHexStringLower(digest);
    }

    private void WriteValue(IArrowArray array, int index, BqField field, int[] sortedChildren, BqField? element = null)
    {
        if (array.IsNull(index))
        {
            _writer.WriteNullValue();
            return;
        }

        if (field.Repeated)
        {
            var list = (ListArray)array;
            var start = list.ValueOffsets[index];
            var end = list.ValueOffsets[index + 1];
            element ??= field with { Repeated = false };
            _writer.WriteStartArray();
            for (var i = start; i < end; i++)
            {
                if (list.Values.IsNull(i))
                {
                    throw new RowValueException("unparsable_value", $"column '{field.Name}': element {i - start} is null; ARRAY elements cannot be NULL");
                }

                WriteValue(list.Values, i, element, sortedChildren);
            }

            _writer.WriteEndArray();
            return;
        }

        WriteScalar(array, index, field, sortedChildren);
    }

    private void WriteScalar(IArrowArray array, int index, BqField field, int[] sortedChildren)
    {
        switch (field.Type)
        {
            case BqType.String or BqType.Geography:
                // Straight from the UTF-8 bytes: no string allocated per value. The writer would replace invalid
                // UTF-8 with U+FFFD (and hash that), while CSV and JSON Lines dead-letter the same bytes.
                var utf8 = ((StringArray)array).GetBytes(index);
                if (!System.Text.Unicode.Utf8.IsValid(utf8))
                {
                    throw new RowValueException("invalid_utf8", $"column '{field.Name}' holds bytes that are not valid UTF-8");
                }

                _writer.WriteStringValue(utf8);
                break;
            case BqType.Json:
                WriteJson(((StringArray)array).GetString(index), field.Name);
                break;
            case BqType.Int64:
                var l = ((Int64Array)array).GetValue(index)!.Value;
                if (l is >= -MaxSafeInteger and <= MaxSafeInteger)
                {
                    _writer.WriteNumberValue(l);
                }
                else
                {
                    _writer.WriteStringValue(l.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case BqType.Float64:
                WriteDouble(((DoubleArray)array).GetValue(index)!.Value);
                break;
            case BqType.Numeric:
                WriteNumeric((Decimal128Array)array, index, field.Name);
                break;
            case BqType.BigNumeric:
                WriteDecimal(((Decimal256Array)array).GetString(index)!);
                break;
            case BqType.Bool:
                _writer.WriteBooleanValue(((BooleanArray)array).GetValue(index)!.Value);
                break;
            case BqType.Bytes:
                _writer.WriteBase64StringValue(((BinaryArray)array).GetBytes(index));
                break;
            case BqType.Date:
                Span<byte> date = stackalloc byte[10];
                TemporalText.FormatDate(CheckDay(((Date32Array)array).GetValue(index)!.Value, field.Name), date);
                _writer.WriteStringValue(date);
                break;
            case BqType.DateTime:
            case BqType.Timestamp:
                Span<byte> instant = stackalloc byte[32];
                var length = TemporalText.FormatMicros(CheckMicros(((TimestampArray)array).Values[index], field.Name), utc: field.Type == BqType.Timestamp, instant);
                _writer.WriteStringValue(instant[..length]);
                break;
            case BqType.Time:
                Span<byte> time = stackalloc byte[16];
                _writer.WriteStringValue(time[..TemporalText.FormatTime(((Time64Array)array).Values[index], time)]);
                break;
            case BqType.Struct:
                WriteStruct((StructArray)array, index, field, sortedChildren);
                break;
            default:
                throw new InvalidOperationException($"column '{field.Name}': no canonical form for {field.Type}");
        }
    }

    private void WriteStruct(StructArray array, int index, BqField field, int[] sortedChildren)
    {
        _writer.WriteStartObject();
        foreach (var c in sortedChildren)
        {
            var child = field.Children[c];
            _writer.WritePropertyName(child.Name);
            WriteValue(array.Fields[c], index, child, SortedIndexes(child.Children));
        }

        _writer.WriteEndObject();
    }

    private void WriteDouble(double d)
    {
        if (double.IsNaN(d))
        {
            _writer.WriteStringValue("NaN");
        }
        else if (double.IsPositiveInfinity(d))
        {
            _writer.WriteStringValue("Infinity");
        }
        else if (double.IsNegativeInfinity(d))
        {
            _writer.WriteStringValue("-Infinity");
        }
        else
        {
            _writer.WriteNumberValue(d);
        }
    }

    private void WriteNumeric(Decimal128Array array, int index, string column)
    {
        var unscaled = DecimalValues.Unscaled(array, index);
        var scale = ((Apache.Arrow.Types.Decimal128Type)array.Data.DataType).Scale;
        CheckNumeric(unscaled, scale, column);
        Span<byte> text = stackalloc byte[48];
        var length = DecimalText.FormatDecimal128(unscaled, scale, text);
        text = text[..length];
        if (!text.Contains((byte)'.') && Int128.Abs(unscaled) <= (Int128)MaxSafeInteger * Pow10[scale])
        {
            _writer.WriteRawValue(text, skipInputValidation: true);
        }
        else
        {
            _writer.WriteStringValue(text);
        }
    }

    private static readonly Int128[] Pow10 = BuildPowersOfTen();

    /// <summary>A Date32 day number as a date, or a <see cref="RowValueException"/> when BigQuery's DATE cannot hold it.</summary>
    internal static DateOnly ToDate(int day, string column) => DateOnly.FromDayNumber(CheckDay(day, column) - TemporalText.MinDateDay);

    private static int CheckDay(int day, string column) =>
        day is >= TemporalText.MinDateDay and <= TemporalText.MaxDateDay
            ? day
            : throw new RowValueException("unparsable_value", $"column '{column}' holds day {day} since 1970-01-01, outside DATE's range 0001-01-01..9999-12-31");

    private static long CheckMicros(long micros, string column) =>
        micros is >= TemporalText.MinMicros and <= TemporalText.MaxMicros
            ? micros
            : throw new RowValueException("unparsable_value", $"column '{column}' holds {micros} microseconds since the epoch, outside the range 0001-01-01..9999-12-31");

    /// <summary>NUMERIC is precision 38, scale 9: at most 29 integer digits and 9 fractional digits (BigQuery rejects more, it does not round).</summary>
    private static void CheckNumeric(Int128 unscaled, int scale, string column)
    {
        if (scale is < 0 or > 38)
        {
            throw new RowValueException("unparsable_value", $"column '{column}' has decimal scale {scale}; NUMERIC allows 0..9");
        }

        // Int128.MinValue has no absolute value; it is far beyond NUMERIC anyway.
        var magnitude = unscaled == Int128.MinValue ? Int128.MaxValue : Int128.Abs(unscaled);
        var fractionExcess = scale > 9 ? magnitude % Pow10[scale - 9] : 0;
        if (fractionExcess != 0 || magnitude / Pow10[scale] >= Pow10[29])
        {
            throw new RowValueException("unparsable_value", $"column '{column}' holds a value beyond NUMERIC's 29 integer and 9 fractional digits");
        }
    }

    private static Int128[] BuildPowersOfTen()
    {
        var powers = new Int128[39];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }

    private void WriteDecimal(string digits)
    {
        var normalized = NormalizeDecimal(digits);
        var integral = !normalized.Contains('.', StringComparison.Ordinal);
        if (integral && BigInteger.TryParse(normalized, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            && BigInteger.Abs(value) <= MaxSafeInteger)
        {
            _writer.WriteRawValue(normalized, skipInputValidation: true);
        }
        else
        {
            _writer.WriteStringValue(normalized);
        }
    }

    /// <summary>Drops trailing fractional zeros (and the point) so 1.500000000 and 1.5 are the same value and the same text.</summary>
    internal static string NormalizeDecimal(string digits)
    {
        if (!digits.Contains('.', StringComparison.Ordinal))
        {
            return digits == "-0" ? "0" : digits;
        }

        var trimmed = digits.TrimEnd('0').TrimEnd('.');
        return trimmed is "-0" or "" ? "0" : trimmed;
    }

    private void WriteJson(string text, string column)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            doc.RootElement.WriteTo(_writer);
        }
        catch (JsonException e)
        {
            throw new FormatException($"column '{column}' holds invalid JSON: {e.Message}", e);
        }
    }

    private static int[] SortedIndexes(IReadOnlyList<BqField> fields) =>
        Enumerable.Range(0, fields.Count).OrderBy(i => fields[i].Name, StringComparer.Ordinal).ToArray();
}

using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using CsvHelper;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Formats.Text;

namespace SalesIntel.Stages.Fixtures.Internal;

/// <summary>
/// Writes one column's values as CSV cells in exactly the forms <c>CsvAccountSource</c> reads back (docs/FILE_FORMATS.md):
/// NULL as an empty field, an empty string as <c>""</c>, ARRAY and STRUCT as canonical JSON text.
/// </summary>
internal sealed class CsvCellWriter
{
    private readonly BqField _field;
    private readonly NestedCellJson? _nested;
    private byte[] _scratch = new byte[256];

    public CsvCellWriter(BqField field)
    {
        _field = field;
        if (field.Repeated || field.Type == BqType.Struct)
        {
            _nested = new NestedCellJson(field);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public void Write(CsvWriter csv, IArrowArray array, int length, int row)
    {
        if (array.IsNull(row))
        {
            csv.WriteField(ReadOnlySpan<byte>.Empty);
            return;
        }

        if (_nested is not null)
        {
            csv.WriteField(_nested.Write(array, length, row));
            return;
        }

        var buffer = _scratch.AsSpan();
        switch (_field.Type)
        {
            case BqType.String or BqType.Geography or BqType.Json:
                WriteText(csv, ((StringArray)array).GetBytes(row));
                return;
            case BqType.Bytes:
                var bytes = ((BinaryArray)array).GetBytes(row);
                var needed = Base64.GetMaxEncodedToUtf8Length(bytes.Length);
                if (needed > _scratch.Length)
                {
                    _scratch = new byte[needed];
                }

                Base64.EncodeToUtf8(bytes, _scratch, out _, out var encoded);
                WriteText(csv, _scratch.AsSpan(0, encoded));
                return;
            case BqType.Int64:
                Utf8Formatter.TryFormat(((Int64Array)array).Values[row], buffer, out var n);
                csv.WriteField(buffer[..n]);
                return;
            case BqType.Float64:
                ((DoubleArray)array).Values[row].TryFormat(buffer, out n, "R", CultureInfo.InvariantCulture);
                csv.WriteField(buffer[..n]);
                return;
            case BqType.Numeric:
                n = DecimalText.FormatNumeric(((Decimal128Array)array).GetBytes(row), buffer);
                csv.WriteField(buffer[..n]);
                return;
            case BqType.BigNumeric:
                csv.WriteField(DecimalText.FormatBigNumeric(((Decimal256Array)array).GetBytes(row)));
                return;
            case BqType.Bool:
                csv.WriteField(((BooleanArray)array).GetValue(row)!.Value ? "true"u8 : "false"u8);
                return;
            case BqType.Date:
                n = TemporalText.FormatDate(((Date32Array)array).Values[row], buffer);
                csv.WriteField(buffer[..n]);
                return;
            case BqType.DateTime or BqType.Timestamp:
                n = TemporalText.FormatMicros(((TimestampArray)array).Values[row], _field.Type == BqType.Timestamp, buffer);
                csv.WriteField(buffer[..n]);
                return;
            case BqType.Time:
                n = TemporalText.FormatTime(((Time64Array)array).Values[row], buffer);
                csv.WriteField(buffer[..n]);
                return;
            default:
                throw new InvalidOperationException($"column '{_field.Name}': no CSV form for {_field.TypeName}");
        }
    }

    /// <summary>An empty value is written quoted (<c>""</c>), so it reads back as empty, not NULL.</summary>
    private static void WriteText(CsvWriter csv, ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            csv.WriteField(ReadOnlySpan<char>.Empty, CsvQuoting.Always);
        }
        else
        {
            csv.WriteField(utf8);
        }
    }
}

/// <summary>
/// The canonical JSON of one ARRAY or STRUCT value, cut out of what <see cref="CanonicalJson"/> writes for a
/// one-column row, so CSV cells use exactly the canonical forms.
/// </summary>
internal sealed class NestedCellJson
{
    private readonly CanonicalJson _json;
    private readonly Schema _schema;
    private readonly int _prefix;
    private IArrowArray? _array;
    private RecordBatch? _row;

    public NestedCellJson(BqField field)
    {
        var table = new TableSchema([field]);
        _json = new CanonicalJson(table);
        _schema = BigQueryArrowTypes.ToArrowSchema(table);
        _prefix = System.Text.Encoding.UTF8.GetByteCount(field.Name) + 4; // {"name":
    }

    public ReadOnlySpan<byte> Write(IArrowArray array, int length, int row)
    {
        if (!ReferenceEquals(array, _array))
        {
            _row = new RecordBatch(_schema, [array], length);
            _array = array;
        }

        var json = _json.Write(_row!, row);
        return json[_prefix..^1];
    }
}

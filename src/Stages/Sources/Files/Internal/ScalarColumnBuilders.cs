using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text;
using Apache.Arrow.Types;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Formats.Text;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>INT64: a whole number (text), a JSON integer or a JSON string holding one.</summary>
internal sealed class Int64ColumnBuilder(BqField field, int capacity) : PrimitiveColumnBuilder<long>(field, capacity, Int64Type.Default)
{
    private byte[]? _scratch;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public override bool TryAppendText(ReadOnlySpan<byte> text, [NotNullWhen(false)] out string? problem)
    {
        if (FastNumbers.TryParseInt64(text, out var value))
        {
            Append(value);
            problem = null;
            return true;
        }

        problem = NotValid(text);
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public override bool TryAppendJson(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, [NotNullWhen(false)] out string? problem)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                AppendNull();
                problem = null;
                return true;
            case JsonTokenType.Number when reader.TryGetInt64(out var value):
                Append(value);
                problem = null;
                return true;
            case JsonTokenType.Number:
                problem = NotValid(reader.ValueSpan);
                return false;
            case JsonTokenType.String:
                return TryAppendText(Unescaped(ref reader, ref _scratch), out problem);
            default:
                problem = WrongJsonType(ref reader);
                return false;
        }
    }
}

/// <summary>FLOAT64: a number within range; NaN, Inf, Infinity with any sign and case (also as JSON strings).</summary>
internal sealed class Float64ColumnBuilder(BqField field, int capacity) : PrimitiveColumnBuilder<double>(field, capacity, DoubleType.Default)
{
    private const string OutOfRange = "is out of range for FLOAT64 (at most ±1.7976931348623157E+308); write Infinity if that is meant";

    private byte[]? _scratch;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public override bool TryAppendText(ReadOnlySpan<byte> text, [NotNullWhen(false)] out string? problem)
    {
        if (FastNumbers.TryParseFloat64(text, out var value))
        {
            Append(value);
            problem = null;
            return true;
        }

        problem = FastNumbers.Float64Overflows(text) ? NotValid(text, OutOfRange) : NotValid(text);
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public override bool TryAppendJson(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, [NotNullWhen(false)] out string? problem)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                AppendNull();
                problem = null;
                return true;
            case JsonTokenType.Number when reader.TryGetDouble(out var value) && double.IsFinite(value):
                Append(value);
                problem = null;
                return true;
            case JsonTokenType.Number:
                problem = FastNumbers.Float64Overflows(reader.ValueSpan) ? NotValid(reader.ValueSpan, OutOfRange) : NotValid(reader.ValueSpan);
                return false;
            case JsonTokenType.String:
                return TryAppendText(Unescaped(ref reader, ref _scratch), out problem);
            default:
                problem = WrongJsonType(ref reader);
                return false;
        }
    }
}

/// <summary>BOOL: true or false (any case).</summary>
internal sealed class BoolColumnBuilder : ColumnBuilder
{
    private readonly ValidityBits _values;
    private readonly ValidityBits _validity;
    private byte[]? _scratch;

    public BoolColumnBuilder(BqField field, int capacity)
        : base(field)
    {
        _values = new ValidityBits(capacity);
        _validity = new ValidityBits(capacity);
    }

    public override int Length => _validity.Length;

    public void Append(bool value)
    {
        _values.Append(value);
        _validity.Append(true);
    }

    public override void AppendNull()
    {
        _values.Append(false);
        _validity.Append(false);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public override bool TryAppendText(ReadOnlySpan<byte> text, [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        if (Ascii.EqualsIgnoreCase(text, "true"u8))
        {
            Append(true);
            return true;
        }

        if (Ascii.EqualsIgnoreCase(text, "false"u8))
        {
            Append(false);
            return true;
        }

        problem = NotValid(text);
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public override bool TryAppendJson(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                AppendNull();
                return true;
            case JsonTokenType.True:
                Append(true);
                return true;
            case JsonTokenType.False:
                Append(false);
                return true;
            case JsonTokenType.String:
                return TryAppendText(Unescaped(ref reader, ref _scratch), out problem);
            default:
                problem = WrongJsonType(ref reader);
                return false;
        }
    }

    public override void Truncate(int length)
    {
        if (length >= Length)
        {
            return;
        }

        _validity.Truncate(length);
        _values.Truncate(length);
    }

    public override Apache.Arrow.ArrayData Build(ArrowBufferFactory buffers)
    {
        var length = Length;
        var nulls = _validity.NullCount;
        var validity = _validity.Build(buffers);

        // The value bits are copied whatever their "null count" says: ValidityBits.Build would skip an all-true bitmap.
        var bits = buffers.Copy(ValueBits(out var byteCount)[..byteCount]);
        _values.Reset();
        return new Apache.Arrow.ArrayData(BooleanType.Default, length, nulls, 0, [validity, bits]);
    }

    private ReadOnlySpan<byte> ValueBits(out int byteCount)
    {
        byteCount = (_values.Length + 7) / 8;
        return _values.RawBits;
    }
}

/// <summary>Columns whose text form is a string parsed by a fixed routine: DATE, and the microsecond types.</summary>
internal abstract class TextParsedColumnBuilder<T>(BqField field, int capacity, IArrowType type) : PrimitiveColumnBuilder<T>(field, capacity, type)
    where T : unmanaged
{
    private byte[]? _scratch;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public override bool TryAppendJson(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, [NotNullWhen(false)] out string? problem)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                AppendNull();
                problem = null;
                return true;
            case JsonTokenType.String:
                return TryAppendText(Unescaped(ref reader, ref _scratch), out problem);
            default:
                problem = WrongJsonType(ref reader);
                return false;
        }
    }
}

/// <summary>DATE: <c>yyyy-MM-dd</c>, Arrow date32.</summary>
internal sealed class Date32ColumnBuilder(BqField field, int capacity) : TextParsedColumnBuilder<int>(field, capacity, Date32Type.Default)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryAppendText(ReadOnlySpan<byte> text, [NotNullWhen(false)] out string? problem)
    {
        if (TemporalText.TryParseDate(text, out var days))
        {
            Append(days);
            problem = null;
            return true;
        }

        problem = NotValid(text);
        return false;
    }
}

/// <summary>DATETIME, TIMESTAMP (normalised to UTC) and TIME: microseconds.</summary>
internal sealed class MicrosColumnBuilder(BqField field, int capacity)
    : TextParsedColumnBuilder<long>(field, capacity, field.Type switch
    {
        BqType.Timestamp => BigQueryArrowTypes.Timestamp,
        BqType.DateTime => BigQueryArrowTypes.DateTime,
        _ => BigQueryArrowTypes.Time,
    })
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryAppendText(ReadOnlySpan<byte> text, [NotNullWhen(false)] out string? problem)
    {
        var ok = Field.Type switch
        {
            BqType.Timestamp => TemporalText.TryParseTimestamp(text, out var micros) && Set(micros),
            BqType.DateTime => TemporalText.TryParseDateTime(text, out var micros) && Set(micros),
            _ => TemporalText.TryParseTime(text, out var micros) && Set(micros),
        };
        problem = ok ? null : NotValid(text);
        return ok;
    }

    private bool Set(long micros)
    {
        Append(micros);
        return true;
    }
}

/// <summary>NUMERIC: exact decimal text, Arrow decimal128(38, 9).</summary>
internal sealed class Decimal128ColumnBuilder(BqField field, int capacity) : PrimitiveColumnBuilder<Int128>(field, capacity, BigQueryArrowTypes.Numeric)
{
    private byte[]? _scratch;

    /// <summary>Appends value × 10^9.</summary>
    public void AppendUnscaled(Int128 unscaled) => Append(unscaled);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public override bool TryAppendText(ReadOnlySpan<byte> text, [NotNullWhen(false)] out string? problem)
    {
        if (DecimalText.TryParseNumeric(text, out var unscaled, out var detail))
        {
            Append(unscaled);
            problem = null;
            return true;
        }

        problem = NotValid(text, detail is null ? null : detail + $"; expected {ValueForms.Expected(Field)}");
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public override bool TryAppendJson(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, [NotNullWhen(false)] out string? problem)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                AppendNull();
                problem = null;
                return true;
            case JsonTokenType.Number:
                return TryAppendText(reader.ValueSpan, out problem);
            case JsonTokenType.String:
                return TryAppendText(Unescaped(ref reader, ref _scratch), out problem);
            default:
                problem = WrongJsonType(ref reader);
                return false;
        }
    }
}

/// <summary>BIGNUMERIC: exact decimal text, Arrow decimal256(76, 38).</summary>
internal sealed class Decimal256ColumnBuilder(BqField field, int capacity) : PrimitiveColumnBuilder<Decimal256Bytes>(field, capacity, BigQueryArrowTypes.BigNumeric)
{
    private byte[]? _scratch;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public override bool TryAppendText(ReadOnlySpan<byte> text, [NotNullWhen(false)] out string? problem)
    {
        if (DecimalText.TryParseBigNumeric(text, out var unscaled, out var detail))
        {
            AppendUnscaled(unscaled);
            problem = null;
            return true;
        }

        problem = NotValid(text, detail is null ? null : detail + $"; expected {ValueForms.Expected(Field)}");
        return false;
    }

    public void AppendUnscaled(BigInteger unscaled)
    {
        var value = default(Decimal256Bytes);
        DecimalText.WriteDecimal256(unscaled, value);
        Append(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public override bool TryAppendJson(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, [NotNullWhen(false)] out string? problem)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                AppendNull();
                problem = null;
                return true;
            case JsonTokenType.Number:
                return TryAppendText(reader.ValueSpan, out problem);
            case JsonTokenType.String:
                return TryAppendText(Unescaped(ref reader, ref _scratch), out problem);
            default:
                problem = WrongJsonType(ref reader);
                return false;
        }
    }
}

/// <summary>The 32 bytes of one decimal256 value.</summary>
[System.Runtime.CompilerServices.InlineArray(32)]
internal struct Decimal256Bytes
{
    private byte _first;
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Apache.Arrow.Types;
using Apache.Arrow;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>STRING, GEOGRAPHY (WKT text, stored as given) and JSON (validated, stored as given) columns: Arrow utf8.</summary>
internal sealed class StringColumnBuilder : ColumnBuilder
{
    private readonly GrowableBuffer<int> _offsets;
    private readonly GrowableBuffer<byte> _data;
    private readonly ValidityBits _validity;
    private readonly bool _isJson;
    private readonly bool _lenient;
    private byte[]? _scratch;

    /// <param name="field">The column.</param>
    /// <param name="capacity">Rows per batch.</param>
    /// <param name="lenient">An extra column the schema does not know: any JSON value is kept as its text.</param>
    public StringColumnBuilder(BqField field, int capacity, bool lenient)
        : base(field)
    {
        _offsets = new GrowableBuffer<int>(capacity + 1);
        _offsets.Append(0);
        _data = new GrowableBuffer<byte>(capacity * 16);
        _validity = new ValidityBits(capacity);
        _isJson = field.Type == BqType.Json;
        _lenient = lenient;
    }

    public override int Length => _validity.Length;

    public void Append(ReadOnlySpan<byte> utf8)
    {
        _data.Append(utf8);
        _offsets.Append(_data.Length);
        _validity.Append(true);
    }

    /// <summary>Appends a value made of two pieces without joining them first.</summary>
    public void Append(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        _data.Append(first);
        _data.Append(second);
        _offsets.Append(_data.Length);
        _validity.Append(true);
    }

    public override void AppendNull()
    {
        _offsets.Append(_data.Length);
        _validity.Append(false);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public override bool TryAppendText(ReadOnlySpan<byte> text, [NotNullWhen(false)] out string? problem)
    {
        if (_isJson && !IsValidJson(text, out var why))
        {
            problem = NotValid(text, $"is not valid JSON ({why})");
            return false;
        }

        Append(text);
        problem = null;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public override bool TryAppendJson(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            AppendNull();
            return true;
        }

        if (_isJson || (_lenient && reader.TokenType != JsonTokenType.String))
        {
            var raw = RawValue(ref reader, json);
            if (raw.Length > MaxFieldBytes)
            {
                problem = FieldTooLarge.Describe(raw.Length);
                return false;
            }

            Append(raw);
            return true;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            problem = WrongJsonType(ref reader);
            return false;
        }

        if (FieldTooLarge.OverLimit(ref reader) is { } size)
        {
            problem = FieldTooLarge.Describe(size);
            return false;
        }

        Append(Unescaped(ref reader, ref _scratch));
        return true;
    }

    public override void Truncate(int length)
    {
        if (length >= Length)
        {
            return;
        }

        _validity.Truncate(length);
        _offsets.Truncate(length + 1);
        _data.Truncate(_offsets[length]);
    }

    public override ArrayData Build(ArrowBufferFactory buffers)
    {
        var length = Length;
        var nulls = _validity.NullCount;
        var data = new ArrayData(StringType.Default, length, nulls, 0,
            [_validity.Build(buffers), buffers.Copy(_offsets.Span), buffers.Copy(_data.Span)]);
        _offsets.Clear();
        _offsets.Append(0);
        _data.Clear();
        return data;
    }

    private static bool IsValidJson(ReadOnlySpan<byte> text, out string why)
    {
        try
        {
            var reader = new Utf8JsonReader(text, JsonOptions);
            while (reader.Read())
            {
            }

            why = "";
            return true;
        }
        catch (JsonException e)
        {
            why = JsonProblem(e);
            return false;
        }
    }
}

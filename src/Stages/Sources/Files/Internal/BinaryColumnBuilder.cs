using System.Buffers.Text;
using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Apache.Arrow.Types;
using Apache.Arrow;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>BYTES columns: base64 text in CSV and JSON, Arrow binary.</summary>
internal sealed class BinaryColumnBuilder : ColumnBuilder
{
    private readonly GrowableBuffer<int> _offsets;
    private readonly GrowableBuffer<byte> _data;
    private readonly ValidityBits _validity;
    private byte[]? _scratch;

    public BinaryColumnBuilder(BqField field, int capacity)
        : base(field)
    {
        _offsets = new GrowableBuffer<int>(capacity + 1);
        _offsets.Append(0);
        _data = new GrowableBuffer<byte>(capacity * 8);
        _validity = new ValidityBits(capacity);
    }

    public override int Length => _validity.Length;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _data.Append(bytes);
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
        problem = null;
        if (!Base64.IsValid(text, out var decodedLength))
        {
            problem = NotValid(text);
            return false;
        }

        var start = _data.Length;
        var target = _data.AppendSpan(decodedLength);
        if (Base64.DecodeFromUtf8(text, target, out _, out var written) != OperationStatus.Done)
        {
            _data.Truncate(start);
            problem = NotValid(text);
            return false;
        }

        _data.Truncate(start + written);
        _offsets.Append(_data.Length);
        _validity.Append(true);
        return true;
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
            case JsonTokenType.String:
                var text = Unescaped(ref reader, ref _scratch);
                if (text.IsEmpty)
                {
                    Append([]);
                    problem = null;
                    return true;
                }

                return TryAppendText(text, out problem);
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
        _offsets.Truncate(length + 1);
        _data.Truncate(_offsets[length]);
    }

    public override ArrayData Build(ArrowBufferFactory buffers)
    {
        var data = new ArrayData(BinaryType.Default, Length, _validity.NullCount, 0,
            [_validity.Build(buffers), buffers.Copy(_offsets.Span), buffers.Copy(_data.Span)]);
        _offsets.Clear();
        _offsets.Append(0);
        _data.Clear();
        return data;
    }
}

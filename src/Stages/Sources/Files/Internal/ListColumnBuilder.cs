using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Apache.Arrow.Types;
using Apache.Arrow;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>
/// ARRAY columns: a JSON array (in CSV, a cell holding one), Arrow list of non-null elements. NULL and a missing value
/// read as an empty array, as in BigQuery, where an ARRAY is never NULL.
/// </summary>
internal sealed class ListColumnBuilder : ColumnBuilder
{
    private readonly GrowableBuffer<int> _offsets;
    private readonly IArrowType _type;

    public ListColumnBuilder(BqField field, int capacity)
        : base(field)
    {
        var element = field with { Repeated = false, Required = true };
        Element = Create(element, capacity * 2);
        _offsets = new GrowableBuffer<int>(capacity + 1);
        _offsets.Append(0);
        _type = BigQueryArrowTypes.ToArrowField(field).DataType;
    }

    /// <summary>The element builder: append elements to it, then call <see cref="EndList"/>.</summary>
    public ColumnBuilder Element { get; }

    public override int Length => _offsets.Length - 1;

    /// <summary>Closes the list whose elements were appended to <see cref="Element"/> since the previous one.</summary>
    public void EndList() => _offsets.Append(Element.Length);

    public override void AppendNull() => _offsets.Append(Element.Length);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public override bool TryAppendText(ReadOnlySpan<byte> text, [NotNullWhen(false)] out string? problem)
    {
        if (text.SequenceEqual("[]"u8))
        {
            EndList();
            problem = null;
            return true;
        }

        return TryAppendJsonText(text, out problem);
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

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            problem = WrongJsonType(ref reader);
            return false;
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                problem = $"element {index} is null; ARRAY elements cannot be NULL";
                return false;
            }

            if (!Element.TryAppendJson(ref reader, json, out var elementProblem))
            {
                problem = $"element {index}: {elementProblem}";
                return false;
            }

            index++;
        }

        EndList();
        return true;
    }

    public override void Truncate(int length)
    {
        if (length < Length)
        {
            _offsets.Truncate(length + 1);
        }

        // Also drops the elements of a list that failed half way and was never closed.
        Element.Truncate(_offsets[Length]);
    }

    public override ArrayData Build(ArrowBufferFactory buffers)
    {
        var length = Length;
        var offsets = buffers.Copy(_offsets.Span);
        var values = Element.Build(buffers);
        _offsets.Clear();
        _offsets.Append(0);
        return new ArrayData(_type, length, 0, 0, [ArrowBuffer.Empty, offsets], [values]);
    }
}

using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>A fixed-width column (INT64, FLOAT64, DATE, the microsecond types, the decimals): values plus validity.</summary>
internal abstract class PrimitiveColumnBuilder<T> : ColumnBuilder
    where T : unmanaged
{
    private readonly GrowableBuffer<T> _values;
    private readonly ValidityBits _validity;
    private readonly IArrowType _type;

    protected PrimitiveColumnBuilder(BqField field, int capacity, IArrowType type)
        : base(field)
    {
        _values = new GrowableBuffer<T>(capacity);
        _validity = new ValidityBits(capacity);
        _type = type;
    }

    public override int Length => _validity.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(T value)
    {
        _values.Append(value);
        _validity.Append(true);
    }

    public override void AppendNull()
    {
        _values.Append(default(T));
        _validity.Append(false);
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

    public override ArrayData Build(ArrowBufferFactory buffers)
    {
        var data = new ArrayData(_type, Length, _validity.NullCount, 0, [_validity.Build(buffers), buffers.Copy(_values.Span)]);
        _values.Clear();
        return data;
    }
}

using System.Runtime.CompilerServices;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>
/// A reusable, growable array of fixed-width values: the staging area of one Arrow buffer while a batch is built.
/// Kept across batches (only its length is reset), so steady-state reading allocates nothing per value.
/// </summary>
internal sealed class GrowableBuffer<T>
    where T : unmanaged
{
    private T[] _items;

    public GrowableBuffer(int capacity) => _items = new T[Math.Max(capacity, 16)];

    public int Length { get; private set; }

    public ReadOnlySpan<T> Span => _items.AsSpan(0, Length);

    public T this[int index] => _items[index];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(T value)
    {
        if (Length == _items.Length)
        {
            Grow(Length + 1);
        }

        _items[Length++] = value;
    }

    public void Append(ReadOnlySpan<T> values)
    {
        if (Length + values.Length > _items.Length)
        {
            Grow(Length + values.Length);
        }

        values.CopyTo(_items.AsSpan(Length));
        Length += values.Length;
    }

    /// <summary>Reserves <paramref name="count"/> values at the end and returns them for the caller to fill.</summary>
    public Span<T> AppendSpan(int count)
    {
        if (Length + count > _items.Length)
        {
            Grow(Length + count);
        }

        var span = _items.AsSpan(Length, count);
        Length += count;
        return span;
    }

    /// <summary>Gives back the unused tail of the last <see cref="AppendSpan"/>.</summary>
    public void Truncate(int length)
    {
        if (length < Length)
        {
            Length = length;
        }
    }

    public void Clear() => Length = 0;

    private void Grow(int minimum) => Array.Resize(ref _items, Math.Max(minimum, _items.Length * 2));
}

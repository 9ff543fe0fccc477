using System.Numerics;
using System.Runtime.CompilerServices;
using Apache.Arrow;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>An Arrow validity bitmap under construction, with its null count; truncatable so a bad row can be taken back.</summary>
internal sealed class ValidityBits
{
    private byte[] _bits;

    public ValidityBits(int capacity) => _bits = new byte[Math.Max(8, (capacity + 7) / 8)];

    public int Length { get; private set; }

    public int NullCount { get; private set; }

    /// <summary>The bits as stored (only the first <see cref="Length"/> are meaningful).</summary>
    public ReadOnlySpan<byte> RawBits => _bits;

    public void Reset()
    {
        Length = 0;
        NullCount = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(bool valid)
    {
        var index = Length >> 3;
        if (index == _bits.Length)
        {
            System.Array.Resize(ref _bits, _bits.Length * 2);
        }

        var mask = (byte)(1 << (Length & 7));
        if (valid)
        {
            _bits[index] |= mask;
        }
        else
        {
            _bits[index] &= (byte)~mask;
            NullCount++;
        }

        Length++;
    }

    public void Truncate(int length)
    {
        for (var i = length; i < Length; i++)
        {
            if ((_bits[i >> 3] & (1 << (i & 7))) == 0)
            {
                NullCount--;
            }
        }

        if (length < Length)
        {
            Length = length;
        }
    }

    /// <summary>The bitmap as an Arrow buffer (empty when nothing is null, which Arrow reads as "all valid"), then resets.</summary>
    public ArrowBuffer Build(ArrowBufferFactory buffers)
    {
        var buffer = NullCount == 0 ? ArrowBuffer.Empty : buffers.Copy(_bits.AsSpan(0, (Length + 7) / 8));
        Length = 0;
        NullCount = 0;
        return buffer;
    }

    public static int CountNulls(ReadOnlySpan<byte> bits, int length)
    {
        var set = 0;
        var full = length / 8;
        for (var i = 0; i < full; i++)
        {
            set += BitOperations.PopCount(bits[i]);
        }

        for (var i = full * 8; i < length; i++)
        {
            set += (bits[i >> 3] >> (i & 7)) & 1;
        }

        return length - set;
    }
}

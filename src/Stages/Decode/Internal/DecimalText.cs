using System.Buffers.Binary;
using System.Globalization;
using Apache.Arrow;

namespace SalesIntel.Stages.Decode;

/// <summary>
/// Reads NUMERIC values straight from the 16-byte two's-complement slots of a decimal128 array: exact digits as
/// text and a double for formulas, without the detour through SqlDecimal (several times slower on the hot path).
/// </summary>
internal static class DecimalValues
{
    private static readonly double[] PowersOfTen = [.. Enumerable.Range(0, 39).Select(i => Math.Pow(10, i))];

    public static Int128 Unscaled(Decimal128Array array, int index) =>
        BinaryPrimitives.ReadInt128LittleEndian(array.ValueBuffer.Span.Slice((array.Offset + index) * 16, 16));

    public static double ToDouble(Decimal128Array array, int index) =>
        (double)Unscaled(array, index) / PowersOfTen[((Apache.Arrow.Types.Decimal128Type)array.Data.DataType).Scale];

    /// <summary>The normalized decimal text (no trailing fractional zeros, "0" for zero) into <paramref name="destination"/>.</summary>
    public static int Format(Decimal128Array array, int index, Span<char> destination)
    {
        var scale = ((Apache.Arrow.Types.Decimal128Type)array.Data.DataType).Scale;
        var value = Unscaled(array, index);
        var negative = value < 0;
        var magnitude = negative ? (UInt128)(-value) : (UInt128)value;
        Span<char> digits = stackalloc char[48];
        magnitude.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        digits = digits[..n];
        var pos = 0;
        if (negative && magnitude != 0)
        {
            destination[pos++] = '-';
        }

        var integerDigits = n - scale;
        if (integerDigits > 0)
        {
            digits[..integerDigits].CopyTo(destination[pos..]);
            pos += integerDigits;
        }
        else
        {
            destination[pos++] = '0';
        }

        // The fraction, left-padded with zeros to the scale, then trimmed of trailing zeros.
        Span<char> fraction = stackalloc char[scale];
        fraction.Fill('0');
        var fractionDigits = Math.Min(scale, n);
        digits[(n - fractionDigits)..].CopyTo(fraction[(scale - fractionDigits)..]);
        var kept = fraction.TrimEnd('0');
        if (kept.Length > 0)
        {
            destination[pos++] = '.';
            kept.CopyTo(destination[pos..]);
            pos += kept.Length;
        }

        return pos;
    }
}

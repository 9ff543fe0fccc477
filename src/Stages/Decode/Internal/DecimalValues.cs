using System.Buffers.Binary;
using Apache.Arrow;

namespace SalesIntel.Stages.Decode;

/// <summary>
/// Reads NUMERIC values straight from the 16-byte two's-complement slots of a decimal128 array: the exact unscaled
/// value (formatted by <see cref="Formats.Text.DecimalText"/>) and a double for formulas, without the detour through
/// SqlDecimal (several times slower on the hot path).
/// </summary>
internal static class DecimalValues
{
    private static readonly double[] PowersOfTen = [.. Enumerable.Range(0, 39).Select(i => Math.Pow(10, i))];

    public static Int128 Unscaled(Decimal128Array array, int index) =>
        BinaryPrimitives.ReadInt128LittleEndian(array.ValueBuffer.Span.Slice((array.Offset + index) * 16, 16));

    public static double ToDouble(Decimal128Array array, int index) =>
        (double)Unscaled(array, index) / PowersOfTen[((Apache.Arrow.Types.Decimal128Type)array.Data.DataType).Scale];
}

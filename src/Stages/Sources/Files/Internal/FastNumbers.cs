using System.Globalization;
using System.Runtime.CompilerServices;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>
/// Fast paths for the number forms that make up nearly every CSV cell, falling back to the framework parsers (which
/// give the same results) for everything else.
/// </summary>
internal static class FastNumbers
{
    private const NumberStyles FloatStyles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
    private static readonly double[] ExactPowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>INT64: <c>[+-]digits</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseInt64(ReadOnlySpan<byte> s, out long value)
    {
        var pos = s.Length > 0 && s[0] == (byte)'-' ? 1 : 0;
        if (s.Length - pos is > 0 and <= 18)
        {
            long v = 0;
            for (var i = pos; i < s.Length; i++)
            {
                var d = (uint)(s[i] - '0');
                if (d > 9)
                {
                    return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
                }

                v = (v * 10) + d;
            }

            value = pos == 1 ? -v : v;
            return true;
        }

        return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// FLOAT64. <c>[-]digits[.digits]</c> with at most 15 significant digits is exact as one division (Clinger's
    /// fast path: both operands are exact doubles, so the quotient is correctly rounded); the rest goes to
    /// <see cref="double.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out double)"/>, which also reads NaN and ±Infinity.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseFloat64(ReadOnlySpan<byte> s, out double value)
    {
        var pos = s.Length > 0 && s[0] == (byte)'-' ? 1 : 0;
        ulong mantissa = 0;
        var digits = 0;
        var decimals = -1;
        for (var i = pos; i < s.Length; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d <= 9)
            {
                mantissa = (mantissa * 10) + d;
                digits++;
                if (decimals >= 0)
                {
                    decimals++;
                }
            }
            else if (s[i] == (byte)'.' && decimals < 0)
            {
                decimals = 0;
            }
            else
            {
                digits = -1;
                break;
            }
        }

        if (digits is > 0 and <= 15 && decimals != 0)
        {
            var v = decimals > 0 ? mantissa / ExactPowersOfTen[decimals] : mantissa;
            value = pos == 1 ? -v : v;
            return true;
        }

        return double.TryParse(s, FloatStyles, CultureInfo.InvariantCulture, out value);
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

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

        return TryParseFloat64Slow(s, out value);
    }

    /// <summary>
    /// True when <paramref name="s"/> is a well-formed number too large for FLOAT64 (<c>1e999</c>): refused with its
    /// own reason rather than read as Infinity, which would turn a typo into a value no formula can use.
    /// </summary>
    public static bool Float64Overflows(ReadOnlySpan<byte> s) =>
        double.TryParse(s, FloatStyles, CultureInfo.InvariantCulture, out var value) && double.IsInfinity(value) && !IsSpecialWord(s, out _);

    // BigQuery's text forms of FLOAT64 (GoogleSQL CAST(STRING AS FLOAT64)): a decimal or exponent number with an
    // optional sign, and, case-insensitively, [+-]inf, [+-]infinity and [+-]nan. A finite form beyond the range is
    // refused (see Float64Overflows); one below it rounds to zero or a subnormal, as any parser does.
    private static bool TryParseFloat64Slow(ReadOnlySpan<byte> s, out double value)
    {
        if (IsSpecialWord(s, out value))
        {
            return true;
        }

        return double.TryParse(s, FloatStyles, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    private static bool IsSpecialWord(ReadOnlySpan<byte> s, out double value)
    {
        var negative = s.Length > 0 && s[0] == (byte)'-';
        var word = s.Length > 0 && s[0] is (byte)'-' or (byte)'+' ? s[1..] : s;
        if (Ascii.EqualsIgnoreCase(word, "inf"u8) || Ascii.EqualsIgnoreCase(word, "infinity"u8))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        value = double.NaN;
        return Ascii.EqualsIgnoreCase(word, "nan"u8);
    }
}

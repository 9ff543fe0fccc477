using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace SalesIntel.Stages.Formats.Text;

/// <summary>
/// Exact decimal text to and from the unscaled integers of Arrow's decimal128(38, 9) (NUMERIC) and
/// decimal256(76, 38) (BIGNUMERIC). Never goes through double or System.Decimal, so no digit is ever lost.
/// Accepts <c>[+-]digits[.digits][e[+-]digits]</c>; more fractional digits than the scale are refused, not rounded.
/// The one home of these text forms: file sources parse with it, and the canonical JSON (the material hash), the
/// CSV fixture writer and the file sinks format with it, so a value reads back as it was written.
/// </summary>
internal static class DecimalText
{
    public const int NumericScale = 9;
    public const int NumericPrecision = 38;
    public const int BigNumericScale = 38;
    public const int BigNumericPrecision = 76;

    private const int MaxTextLength = 200;

    private static readonly Int128 NumericDivisor = Int128.Parse("1000000000", CultureInfo.InvariantCulture);
    private static readonly BigInteger BigNumericDivisor = BigInteger.Pow(10, BigNumericScale);

    /// <summary>Parses NUMERIC text to its unscaled value (value × 10^9).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseNumeric(ReadOnlySpan<byte> text, out Int128 unscaled, out string? problem)
    {
        if (TryParseSimpleNumeric(text, out unscaled))
        {
            problem = null;
            return true;
        }

        unscaled = Int128.Zero;
        Span<byte> digits = stackalloc byte[Math.Min(text.Length, MaxTextLength)];
        if (!TryScan(text, digits, NumericScale, NumericPrecision, "NUMERIC", out var count, out var shift, out var negative, out problem))
        {
            return false;
        }

        Int128 value = 0;
        for (var i = 0; i < count; i++)
        {
            value = (value * 10) + digits[i];
        }

        for (var i = 0; i < shift; i++)
        {
            value *= 10;
        }

        unscaled = negative ? -value : value;
        return true;
    }

    /// <summary>
    /// The common case, fast: <c>[-]digits[.digits]</c> with at most 18 digits and 9 decimals, in one pass with
    /// 64-bit arithmetic. Anything else (exponents, long values, errors) takes the general path.
    /// </summary>
    private static bool TryParseSimpleNumeric(ReadOnlySpan<byte> s, out Int128 unscaled)
    {
        unscaled = Int128.Zero;
        var pos = 0;
        var negative = false;
        if (s.Length > 0 && s[0] == (byte)'-')
        {
            negative = true;
            pos = 1;
        }

        ulong value = 0;
        var digits = 0;
        var decimals = -1;
        for (; pos < s.Length; pos++)
        {
            var d = (uint)(s[pos] - '0');
            if (d <= 9)
            {
                value = (value * 10) + d;
                digits++;
                if (decimals >= 0)
                {
                    decimals++;
                }
            }
            else if (s[pos] == (byte)'.' && decimals < 0)
            {
                decimals = 0;
            }
            else
            {
                return false;
            }
        }

        if (digits is 0 or > 18 || decimals > NumericScale)
        {
            return false;
        }

        var scaled = (Int128)value * Pow10[NumericScale - Math.Max(decimals, 0)];
        unscaled = negative ? -scaled : scaled;
        return true;
    }

    private static readonly long[] Pow10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

    /// <summary>Parses BIGNUMERIC text to its unscaled value (value × 10^38).</summary>
    public static bool TryParseBigNumeric(ReadOnlySpan<byte> text, out BigInteger unscaled, out string? problem)
    {
        unscaled = BigInteger.Zero;
        Span<byte> digits = stackalloc byte[Math.Min(text.Length, MaxTextLength)];
        if (!TryScan(text, digits, BigNumericScale, BigNumericPrecision, "BIGNUMERIC", out var count, out var shift, out var negative, out problem))
        {
            return false;
        }

        Span<char> chars = stackalloc char[count + 1];
        for (var i = 0; i < count; i++)
        {
            chars[i] = (char)('0' + digits[i]);
        }

        var value = count == 0 ? BigInteger.Zero : BigInteger.Parse(chars[..count], NumberStyles.None, CultureInfo.InvariantCulture);
        value *= BigInteger.Pow(10, shift);
        unscaled = negative ? -value : value;
        return true;
    }

    /// <summary>Writes the 32-byte little-endian two's complement form Arrow's decimal256 stores.</summary>
    public static void WriteDecimal256(BigInteger unscaled, Span<byte> destination)
    {
        destination[..32].Fill(unscaled.Sign < 0 ? (byte)0xFF : (byte)0);
        unscaled.TryWriteBytes(destination, out _, isUnsigned: false, isBigEndian: false);
    }

    /// <summary>Formats a NUMERIC held as 16 little-endian bytes: no exponent, no trailing fractional zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FormatNumeric(ReadOnlySpan<byte> decimal128, Span<byte> destination)
    {
        var value = BinaryPrimitives.ReadInt128LittleEndian(decimal128);
        var n = 0;
        if (value < 0)
        {
            destination[n++] = (byte)'-';
            value = -value;
        }

        var (whole, fraction) = Int128.DivRem(value, NumericDivisor);
        whole.TryFormat(destination[n..], out var written, default, CultureInfo.InvariantCulture);
        n += written;
        return n + WriteFraction((long)fraction, NumericScale, destination[n..]);
    }

    /// <summary>
    /// Formats any decimal128 value (unscaled × 10^-<paramref name="scale"/>, scale 0 to 38, as Arrow files written
    /// by other tools may carry) the way <see cref="FormatNumeric(ReadOnlySpan{byte}, Span{byte})"/> does NUMERIC:
    /// no exponent, no trailing fractional zeros, "0" for zero. At most 41 bytes.
    /// </summary>
    public static int FormatDecimal128(Int128 unscaled, int scale, Span<byte> destination)
    {
        if (scale == NumericScale)
        {
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteInt128LittleEndian(bytes, unscaled);
            return FormatNumeric(bytes, destination);
        }

        var negative = unscaled < 0;
        var magnitude = negative ? (UInt128)(-unscaled) : (UInt128)unscaled;
        Span<byte> digits = stackalloc byte[40];
        magnitude.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        digits = digits[..n];
        var pos = 0;
        if (negative && magnitude != 0)
        {
            destination[pos++] = (byte)'-';
        }

        var integerDigits = n - scale;
        if (integerDigits > 0)
        {
            digits[..integerDigits].CopyTo(destination[pos..]);
            pos += integerDigits;
        }
        else
        {
            destination[pos++] = (byte)'0';
        }

        // The fraction, left-padded with zeros to the scale, then trimmed of trailing zeros.
        Span<byte> fraction = stackalloc byte[scale];
        fraction.Fill((byte)'0');
        var fractionDigits = Math.Min(scale, n);
        digits[(n - fractionDigits)..].CopyTo(fraction[(scale - fractionDigits)..]);
        var kept = fraction.TrimEnd((byte)'0');
        if (kept.Length > 0)
        {
            destination[pos++] = (byte)'.';
            kept.CopyTo(destination[pos..]);
            pos += kept.Length;
        }

        return pos;
    }

    /// <summary>Formats a BIGNUMERIC held as 32 little-endian bytes.</summary>
    public static string FormatBigNumeric(ReadOnlySpan<byte> decimal256)
    {
        var value = new BigInteger(decimal256[..32], isUnsigned: false, isBigEndian: false);
        var negative = value.Sign < 0;
        var (whole, fraction) = BigInteger.DivRem(BigInteger.Abs(value), BigNumericDivisor);
        var text = whole.ToString(CultureInfo.InvariantCulture);
        if (!fraction.IsZero)
        {
            text += "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(BigNumericScale, '0').TrimEnd('0');
        }

        return negative ? "-" + text : text;
    }

    private static int WriteFraction(long fraction, int scale, Span<byte> destination)
    {
        if (fraction == 0)
        {
            return 0;
        }

        destination[0] = (byte)'.';
        var end = scale;
        for (var i = scale; i >= 1; i--)
        {
            destination[i] = (byte)('0' + (fraction % 10));
            fraction /= 10;
        }

        while (destination[end] == (byte)'0')
        {
            end--;
        }

        return end + 1;
    }

    /// <summary>
    /// Splits the text into its significant digits (no leading or trailing zeros) and how many places they must be
    /// shifted left to become the unscaled value at <paramref name="scale"/>; checks scale and precision.
    /// </summary>
    private static bool TryScan(ReadOnlySpan<byte> s, Span<byte> digits, int scale, int precision, string type,
        out int count, out int shift, out bool negative, out string? problem)
    {
        count = 0;
        shift = 0;
        negative = false;
        problem = null;
        if (s.Length > MaxTextLength)
        {
            problem = $"is too long to be a {type}";
            return false;
        }

        var pos = 0;
        if (pos < s.Length && s[pos] is (byte)'+' or (byte)'-')
        {
            negative = s[pos] == (byte)'-';
            pos++;
        }

        var mantissaDigits = 0;
        var fractionDigits = 0;
        var seenPoint = false;
        for (; pos < s.Length; pos++)
        {
            var b = s[pos];
            if ((uint)(b - '0') <= 9)
            {
                mantissaDigits++;
                if (seenPoint)
                {
                    fractionDigits++;
                }

                if (count > 0 || b != (byte)'0')
                {
                    digits[count++] = (byte)(b - '0');
                }
            }
            else if (b == (byte)'.' && !seenPoint)
            {
                seenPoint = true;
            }
            else
            {
                break;
            }
        }

        var exponent = 0;
        if (pos < s.Length && s[pos] is (byte)'e' or (byte)'E')
        {
            pos++;
            var expNegative = false;
            if (pos < s.Length && s[pos] is (byte)'+' or (byte)'-')
            {
                expNegative = s[pos] == (byte)'-';
                pos++;
            }

            var expDigits = 0;
            for (; pos < s.Length && (uint)(s[pos] - '0') <= 9; pos++)
            {
                exponent = Math.Min((exponent * 10) + (s[pos] - '0'), 10_000);
                expDigits++;
            }

            if (expDigits == 0)
            {
                pos = -1;
            }

            exponent = expNegative ? -exponent : exponent;
        }

        if (mantissaDigits == 0 || pos != s.Length)
        {
            problem = null;
            return false;
        }

        var trailingZeros = 0;
        while (count > 0 && digits[count - 1] == 0)
        {
            count--;
            trailingZeros++;
        }

        if (count == 0)
        {
            negative = false;
            return true;
        }

        shift = exponent - fractionDigits + trailingZeros + scale;
        if (shift < 0)
        {
            problem = $"has more than {scale} digits after the decimal point, which {type} cannot hold exactly";
            return false;
        }

        if (count + shift > precision)
        {
            problem = $"is out of range for {type} (at most {precision - scale} digits before the decimal point)";
            return false;
        }

        return true;
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using CsCheck;
using SalesIntel.Stages.Formats.Text;

namespace SalesIntel.Tests.Stages.Formats.Text;

public sealed class DecimalTextTests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0.000", "0")]
    [InlineData("+1", "1")]
    [InlineData("1.50", "1.5")]
    [InlineData(".5", "0.5")]
    [InlineData("5.", "5")]
    [InlineData("1.5e3", "1500")]
    [InlineData("15E-9", "0.000000015")]
    [InlineData("-0.000000001", "-0.000000001")]
    [InlineData("00012.340", "12.34")]
    [InlineData("99999999999999999999999999999.999999999", "99999999999999999999999999999.999999999")]
    [InlineData("-99999999999999999999999999999.999999999", "-99999999999999999999999999999.999999999")]
    public void Numeric_ParseThenFormat_IsExact(string text, string expected)
    {
        Assert.True(DecimalText.TryParseNumeric(Encoding.UTF8.GetBytes(text), out var unscaled, out var problem), problem);
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt128LittleEndian(bytes, unscaled);
        Span<byte> formatted = stackalloc byte[64];
        var n = DecimalText.FormatNumeric(bytes, formatted);

        Assert.Equal(expected, Encoding.UTF8.GetString(formatted[..n]));
    }

    [Theory]
    [InlineData("1.0000000001", "more than 9 digits after the decimal point")]
    [InlineData("100000000000000000000000000000", "out of range for NUMERIC")]
    [InlineData("1e29", "out of range for NUMERIC")]
    [InlineData("abc", null)]
    [InlineData("1,5", null)]
    [InlineData("1.2.3", null)]
    [InlineData("1e", null)]
    [InlineData("-", null)]
    [InlineData(" 1", null)]
    [InlineData("NaN", null)]
    public void Numeric_BadText_IsRefusedNeverRounded(string text, string? problem)
    {
        Assert.False(DecimalText.TryParseNumeric(Encoding.UTF8.GetBytes(text), out _, out var actual));
        if (problem is null)
        {
            Assert.Null(actual);
        }
        else
        {
            Assert.Contains(problem, actual, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("0.00000000000000000000000000000000000001", "0.00000000000000000000000000000000000001")]
    [InlineData("-99999999999999999999999999999999999999.99999999999999999999999999999999999999", "-99999999999999999999999999999999999999.99999999999999999999999999999999999999")]
    [InlineData("123456789.123456789", "123456789.123456789")]
    public void BigNumeric_ParseThenFormat_IsExact(string text, string expected)
    {
        Assert.True(DecimalText.TryParseBigNumeric(Encoding.UTF8.GetBytes(text), out var unscaled, out var problem), problem);
        var bytes = new byte[32];
        DecimalText.WriteDecimal256(unscaled, bytes);

        Assert.Equal(expected, DecimalText.FormatBigNumeric(bytes));
    }

    [Fact]
    public void BigNumeric_ThirtyNineIntegerDigits_IsOutOfRange()
    {
        Assert.False(DecimalText.TryParseBigNumeric(Encoding.UTF8.GetBytes(new string('9', 39)), out _, out var problem));
        Assert.Contains("out of range for BIGNUMERIC", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Decimal128_AnyValueAtAnyScale_FormatsAsItsExactDecimalAndParsesBack()
    {
        // 38 digits at most: NUMERIC's precision, and what decimal128 files written by other tools carry.
        var maxMagnitude = UInt128.Parse(new string('9', 38), CultureInfo.InvariantCulture);
        var magnitudes = Gen.UInt128.Select(m => m % (maxMagnitude + 1));
        Gen.Select(magnitudes, Gen.Bool, Gen.Int[0, 38]).Sample((magnitude, negative, scale) =>
        {
            var unscaled = negative ? -(Int128)magnitude : (Int128)magnitude;
            Span<byte> formatted = stackalloc byte[48];
            var text = Encoding.ASCII.GetString(formatted[..DecimalText.FormatDecimal128(unscaled, scale, formatted)]);

            Assert.Equal(Reference(unscaled, scale), text);
            if (scale == DecimalText.NumericScale)
            {
                Assert.True(DecimalText.TryParseNumeric(Encoding.ASCII.GetBytes(text), out var back, out var problem), problem);
                Assert.Equal(unscaled, back);
            }
        });
    }

    [Fact]
    public void Decimal128_AtNumericScale_AgreesWithTheNumericFormatter()
    {
        Gen.Int128.Select(v => v % Int128.Parse(new string('9', 38), CultureInfo.InvariantCulture)).Sample(unscaled =>
        {
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteInt128LittleEndian(bytes, unscaled);
            Span<byte> viaNumeric = stackalloc byte[48];
            Span<byte> viaGeneral = stackalloc byte[48];
            var n = DecimalText.FormatNumeric(bytes, viaNumeric);
            var m = DecimalText.FormatDecimal128(unscaled, DecimalText.NumericScale, viaGeneral);

            Assert.Equal(Encoding.ASCII.GetString(viaNumeric[..n]), Encoding.ASCII.GetString(viaGeneral[..m]));
        });
    }

    // The decimal by BigInteger arithmetic and string padding: slow, obviously right.
    private static string Reference(Int128 unscaled, int scale)
    {
        var value = BigInteger.Parse(unscaled.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var digits = BigInteger.Abs(value).ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        var whole = digits[..^scale];
        var fraction = digits[^scale..].TrimEnd('0');
        var text = fraction.Length == 0 ? whole : whole + "." + fraction;
        return value.Sign < 0 ? "-" + text : text;
    }
}

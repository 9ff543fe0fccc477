using System.Globalization;
using System.Text;
using SalesIntel.Stages.Sources.Files.Internal;

namespace SalesIntel.Tests.Stages.Sources.Files.Internal;

public sealed class FastNumbersTests
{
    [Fact]
    public void TryParseFloat64_AgreesBitForBitWithDoubleParse()
    {
        var random = new Random(1234);
        var texts = new List<string> { "0", "-0", "0.1", "-0.0", "5.", ".5", "1e3", "NaN", "Infinity", "-Infinity", "123456789012345", "1234567890123456", "0.000000000000001", "9007199254740993" };
        for (var i = 0; i < 20_000; i++)
        {
            var cents = random.NextInt64(-10_000_000_000, 10_000_000_000);
            texts.Add((cents / 100.0).ToString("R", CultureInfo.InvariantCulture));
            texts.Add(Math.Round(random.NextDouble() * 100, random.Next(0, 16)).ToString("R", CultureInfo.InvariantCulture));
            texts.Add((random.NextDouble() * Math.Pow(10, random.Next(-30, 30))).ToString("R", CultureInfo.InvariantCulture));
            texts.Add($"{random.Next(0, 1000)}.{random.NextInt64(0, 1_000_000_000_000):D12}");
        }

        foreach (var text in texts)
        {
            Assert.True(FastNumbers.TryParseFloat64(Encoding.ASCII.GetBytes(text), out var fast), text);
            var framework = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.True(BitConverter.DoubleToInt64Bits(framework) == BitConverter.DoubleToInt64Bits(fast), $"{text}: {fast:R} vs {framework:R}");
        }
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-42", -42L)]
    [InlineData("+7", 7L)]
    [InlineData("999999999999999999", 999_999_999_999_999_999L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void TryParseInt64_ValidText(string text, long expected)
    {
        Assert.True(FastNumbers.TryParseInt64(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.0")]
    [InlineData("9223372036854775808")]
    [InlineData(" 1")]
    [InlineData("1e3")]
    public void TryParseInt64_BadText(string text) => Assert.False(FastNumbers.TryParseInt64(Encoding.ASCII.GetBytes(text), out _));

    [Theory]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("+INF", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("infinity", double.PositiveInfinity)]
    [InlineData("-INFINITY", double.NegativeInfinity)]
    [InlineData("nan", double.NaN)]
    [InlineData("-NaN", double.NaN)]
    [InlineData("+1.5", 1.5)]
    [InlineData("1.7976931348623157E+308", double.MaxValue)]
    [InlineData("1e-999", 0.0)]
    public void TryParseFloat64_BigQuerysTextForms(string text, double expected)
    {
        Assert.True(FastNumbers.TryParseFloat64(Encoding.ASCII.GetBytes(text), out var value), text);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1e999")]
    [InlineData("-1e999")]
    [InlineData("1.8e308")]
    public void TryParseFloat64_FiniteFormBeyondTheRange_IsRefusedAsOverflow(string text)
    {
        Assert.False(FastNumbers.TryParseFloat64(Encoding.ASCII.GetBytes(text), out _));
        Assert.True(FastNumbers.Float64Overflows(Encoding.ASCII.GetBytes(text)));
    }

    [Theory]
    [InlineData("infinit")]
    [InlineData("nan1")]
    [InlineData("--inf")]
    [InlineData("1,5")]
    [InlineData("abc")]
    public void TryParseFloat64_OtherWords_AreNotNumbersNorOverflow(string text)
    {
        Assert.False(FastNumbers.TryParseFloat64(Encoding.ASCII.GetBytes(text), out _));
        Assert.False(FastNumbers.Float64Overflows(Encoding.ASCII.GetBytes(text)));
    }
}

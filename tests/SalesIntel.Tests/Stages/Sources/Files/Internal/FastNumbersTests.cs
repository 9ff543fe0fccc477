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
}

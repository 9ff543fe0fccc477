using System.Text;
using SalesIntel.Stages.Formats.Text;

namespace SalesIntel.Tests.Stages.Formats.Text;

public sealed class TemporalTextTests
{
    [Theory]
    [InlineData("1970-01-01", 0)]
    [InlineData("2026-11-27", 20_784)]
    [InlineData("1969-12-31", -1)]
    [InlineData("0001-01-01", -719_162)]
    [InlineData("2024-02-29", 19_782)]
    public void Date_ValidText_GivesDaysSinceEpoch_AndFormatsBack(string text, int days)
    {
        Assert.True(TemporalText.TryParseDate(Encoding.ASCII.GetBytes(text), out var parsed));
        Assert.Equal(days, parsed);
        Span<byte> buffer = stackalloc byte[16];
        Assert.Equal(text, Encoding.ASCII.GetString(buffer[..TemporalText.FormatDate(days, buffer)]));
    }

    [Theory]
    [InlineData("2023-02-29")]
    [InlineData("2026-13-01")]
    [InlineData("2026-1-01")]
    [InlineData("26-11-27")]
    [InlineData("2026/11/27")]
    [InlineData("0000-01-01")]
    [InlineData("2026-11-27 ")]
    public void Date_BadText_IsRefused(string text) => Assert.False(TemporalText.TryParseDate(Encoding.ASCII.GetBytes(text), out _));

    [Theory]
    [InlineData("1969-12-31T23:59:59.999999Z", -1L)]
    [InlineData("1970-01-01T00:00:00+00:00", 0L)]
    [InlineData("1970-01-01T01:00:00+01", 0L)]
    [InlineData("1969-12-31T19:00:00-0500", 0L)]
    [InlineData("1970-01-01 00:00:00.000001 UTC", 1L)]
    [InlineData("1970-01-02", 86_400_000_000L)]
    public void Timestamp_Forms_NormaliseToUtcMicros(string text, long micros)
    {
        Assert.True(TemporalText.TryParseTimestamp(Encoding.ASCII.GetBytes(text), out var parsed));
        Assert.Equal(micros, parsed);
    }

    [Theory]
    [InlineData("2026-11-27T24:00:00Z")]
    [InlineData("2026-11-27T10:60:00Z")]
    [InlineData("2026-11-27T10:00:00+19:00")]
    [InlineData("2026-11-27T10:00:00 CET")]
    [InlineData("2026-11-27T10:00:00.Z")]
    [InlineData("2026-11-27T10:00:00.1234567Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    public void Timestamp_BadText_IsRefused(string text) => Assert.False(TemporalText.TryParseTimestamp(Encoding.ASCII.GetBytes(text), out _));

    [Theory]
    [InlineData(-1L, true, "1969-12-31T23:59:59.999999Z")]
    [InlineData(0L, false, "1970-01-01T00:00:00")]
    [InlineData(1_500_000L, true, "1970-01-01T00:00:01.500000Z")]
    public void FormatMicros_MatchesTheCanonicalForm(long micros, bool utc, string expected)
    {
        Span<byte> buffer = stackalloc byte[40];
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer[..TemporalText.FormatMicros(micros, utc, buffer)]));
    }

    [Theory]
    [InlineData("00:00:00", 0L)]
    [InlineData("23:59:59.999999", 86_399_999_999L)]
    [InlineData("12:00:00.5", 43_200_500_000L)]
    public void Time_ValidText_GivesMicros(string text, long micros)
    {
        Assert.True(TemporalText.TryParseTime(Encoding.ASCII.GetBytes(text), out var parsed));
        Assert.Equal(micros, parsed);
    }

    [Theory]
    [InlineData("2026-11-27T10:00:00Z")]
    [InlineData("2026-11-27X10:00:00")]
    public void DateTime_WithZoneOrBadSeparator_IsRefused(string text) =>
        Assert.False(TemporalText.TryParseDateTime(Encoding.ASCII.GetBytes(text), out _));
}

using Microsoft.Extensions.Time.Testing;
using SalesIntel.Pipeline.Cli;
using SalesIntel.Stages.Model;

namespace SalesIntel.Tests.Pipeline.Cli;

public sealed class RelativeDateTests
{
    private static readonly DateOnly Today = new(2026, 12, 2);

    [Theory]
    [InlineData("today", "2026-12-02")]
    [InlineData("yesterday", "2026-12-01")]
    [InlineData("YESTERDAY", "2026-12-01")]
    [InlineData("today-0", "2026-12-02")]
    [InlineData("today-3", "2026-11-29")]
    [InlineData("today - 2", "2026-11-30")]
    [InlineData("today-366", "2025-12-01")]
    [InlineData("2026-11-27", "2026-11-27")]
    public void Forms_ResolveAgainstToday(string text, string expected)
    {
        Assert.True(RelativeDate.TryResolve(text, Today, out var date));
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), date);
    }

    [Theory]
    [InlineData("tomorrow")]
    [InlineData("today+1")]
    [InlineData("today-")]
    [InlineData("today--1")]
    [InlineData("today-36501")]
    [InlineData("yesterday-1")]
    [InlineData("2026-13-01")]
    [InlineData("27/11/2026")]
    [InlineData("")]
    public void OtherForms_AreRefused(string text) => Assert.False(RelativeDate.TryResolve(text, Today, out _));

    [Theory]
    // 23:30 UTC on Dec 1 is already Dec 2 in Paris (UTC+1) and Tokyo (UTC+9), still Dec 1 in New York (UTC-5).
    [InlineData("UTC", "2026-12-01")]
    [InlineData("Europe/Paris", "2026-12-02")]
    [InlineData("Asia/Tokyo", "2026-12-02")]
    [InlineData("America/New_York", "2026-12-01")]
    public void Today_IsTheCalendarDayInTheZone(string zone, string expected)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 23, 30, 0, TimeSpan.Zero));
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), RelativeDate.Today(time, RelativeDate.FindZone(zone)!));
    }

    [Fact]
    public void Today_TurnsOverAtLocalMidnight()
    {
        var paris = RelativeDate.FindZone("Europe/Paris")!;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 22, 59, 59, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 12, 1), RelativeDate.Today(time, paris));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new DateOnly(2026, 12, 2), RelativeDate.Today(time, paris));
        Assert.Equal(new DateOnly(2026, 12, 1), RelativeDate.Today(time, TimeZoneInfo.Utc));
    }

    [Fact]
    public void UnknownZone_IsNull() => Assert.Null(RelativeDate.FindZone("Mars/Olympus_Mons"));

    private static (ScoreSettings Settings, List<string> Errors) Read(DateTimeOffset now, params string[] args)
    {
        var raw = RawSettings.Load(args, ScoreOptions.All, ScoreOptions.Config, _ => null);
        var reader = new SettingsReader(raw);
        return (ScoreSettings.Read(reader, _ => null, new FakeTimeProvider(now)), reader.Errors);
    }

    [Fact]
    public void DateYesterday_IsResolvedInTheGivenZoneWhenTheRunStarts()
    {
        // A nightly job at 00:15 Paris time (23:15 UTC): yesterday is Dec 1 in Paris, Nov 30 in UTC.
        var now = new DateTimeOffset(2026, 12, 1, 23, 15, 0, TimeSpan.Zero);
        var (paris, errors) = Read(now, "--date", "yesterday", "--timezone", "Europe/Paris");
        Assert.Empty(errors);
        Assert.Equal(DateRange.Single(new DateOnly(2026, 12, 1)), paris.Dates);
        Assert.Equal(new DateOnly(2026, 12, 2), paris.Today);

        var (utc, _) = Read(now, "--date", "yesterday");
        Assert.Equal(DateRange.Single(new DateOnly(2026, 11, 30)), utc.Dates);
        Assert.Equal(TimeZoneInfo.Utc.Id, utc.TimeZone.Id);
    }

    [Fact]
    public void FromTo_AcceptTheSameForms()
    {
        var (s, errors) = Read(new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero), "--from", "today-7", "--to", "yesterday");
        Assert.Empty(errors);
        Assert.Equal(DateRange.Between(new DateOnly(2026, 11, 25), new DateOnly(2026, 12, 1)), s.Dates);
    }

    [Fact]
    public void FromAfterTo_InRelativeForms_IsRefusedWithTheValues()
    {
        var (_, errors) = Read(new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero), "--from", "today", "--to", "today-1");
        Assert.Contains("--from 'today' is after --to 'today-1'", errors);
    }

    [Fact]
    public void BadFormAndUnknownZone_AreEachOneLineNamingTheValueAndTheForms()
    {
        var (_, errors) = Read(new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero), "--date", "tomorrow", "--timezone", "Europe/Atlantis");
        Assert.Contains("--date 'tomorrow' must be a date YYYY-MM-DD, or today, yesterday or today-N (N days before today in --timezone)", errors);
        Assert.Contains(errors, e => e.StartsWith("--timezone 'Europe/Atlantis' must be an IANA time zone such as UTC", StringComparison.Ordinal));
    }
}

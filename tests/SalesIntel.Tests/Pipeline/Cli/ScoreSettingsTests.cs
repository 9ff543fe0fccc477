using Microsoft.Extensions.Time.Testing;
using SalesIntel.Pipeline.Cli;
using SalesIntel.Stages.Model;

namespace SalesIntel.Tests.Pipeline.Cli;

public sealed class ScoreSettingsTests
{
    private static (ScoreSettings Settings, List<string> Errors) Read(string[] args, Dictionary<string, string>? env = null)
    {
        env ??= [];
        var raw = RawSettings.Load(args, ScoreOptions.All, ScoreOptions.Config, name => env.GetValueOrDefault(name));
        var reader = new SettingsReader(raw);
        var settings = ScoreSettings.Read(reader, name => env.GetValueOrDefault(name), new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero)));
        return (settings, reader.Errors);
    }

    [Fact]
    public void Defaults_AreTheShippedFixturesRulesAndFilesOut()
    {
        var (s, errors) = Read(["--date", "2026-11-27"]);
        Assert.Empty(errors);
        Assert.Equal(("fixtures/accounts.csv", "out/recommendations.csv", "rules"), (s.Source, s.Sink, s.Scorer));
        Assert.Equal(1_000_000, s.MaxRows);
        Assert.Equal("run-20261128T060000Z", s.RunId);
        Assert.Equal(DateRange.Single(new DateOnly(2026, 11, 27)), s.Dates);
    }

    [Fact]
    public void NoDate_IsRefusedWithTheWayOut()
    {
        var (_, errors) = Read([]);
        var error = Assert.Single(errors);
        Assert.Contains("--all-dates", error, StringComparison.Ordinal);
        Assert.Contains("--date YYYY-MM-DD", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AllDates_SelectsEveryPartition()
    {
        var (s, errors) = Read(["--all-dates"]);
        Assert.Empty(errors);
        Assert.True(s.Dates.AllDates);
    }

    [Fact]
    public void EveryBadValue_IsReportedAtOnceWithItsValue()
    {
        var (_, errors) = Read(["--date", "2026-13-01", "--concurrency", "0", "--limit", "-5", "--scorer", "magic", "--bogus", "1", "--max-rows", "ten"]);
        Assert.Contains("--date '2026-13-01' must be a date YYYY-MM-DD, or today, yesterday or today-N (N days before today in --timezone)", errors);
        Assert.Contains("--concurrency '0' must be a whole number between 1 and 512", errors);
        Assert.Contains("--limit '-5' must be a whole number between 1 and 9,223,372,036,854,775,807", errors);
        Assert.Contains("--scorer 'magic' must be one of rules, gemini", errors);
        Assert.Contains("unknown option '--bogus'", errors);
        Assert.Contains("--max-rows 'ten' must be a whole number between 1 and 9,223,372,036,854,775,807", errors);
    }

    [Theory]
    [InlineData(new[] { "--date", "2026-11-27", "--from", "2026-11-01", "--to", "2026-11-02" }, "--date cannot be combined with --from/--to")]
    [InlineData(new[] { "--from", "2026-11-01" }, "--from needs --to")]
    [InlineData(new[] { "--to", "2026-11-01" }, "--to needs --from")]
    [InlineData(new[] { "--from", "2026-11-05", "--to", "2026-11-01" }, "--from '2026-11-05' is after --to '2026-11-01'")]
    [InlineData(new[] { "--all-dates", "--date", "2026-11-01" }, "--all-dates cannot be combined with --date")]
    public void ConflictingDates_AreRefused(string[] args, string expected)
    {
        var (_, errors) = Read(args);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Range_IsInclusive()
    {
        var (s, errors) = Read(["--from", "2026-11-01", "--to", "2026-11-03"]);
        Assert.Empty(errors);
        Assert.Equal(3, s.Dates.Days().Count());
        Assert.Equal("snapshot_date BETWEEN DATE '2026-11-01' AND DATE '2026-11-03'", s.Dates.ToRowRestriction("snapshot_date"));
    }

    [Fact]
    public void CommandLine_WinsOverEnvironment_WhichWinsOverConfigFile()
    {
        var config = Path.GetTempFileName();
        try
        {
            File.WriteAllText(config, """{ "limit": 10, "concurrency": 3, "scorer": "gemini", "date": "2026-11-27" }""");
            var env = new Dictionary<string, string> { ["SALESINTEL_CONFIG"] = config, ["SALESINTEL_LIMIT"] = "20", ["SALESINTEL_CONCURRENCY"] = "4" };
            var (s, errors) = Read(["--concurrency", "5"], env);
            Assert.Empty(errors);
            Assert.Equal((20L, 5, "gemini"), (s.Limit, s.Concurrency, s.Scorer));
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void BadEnvironmentValue_NamesTheVariable()
    {
        var (_, errors) = Read(["--date", "2026-11-27"], new Dictionary<string, string> { ["SALESINTEL_CONCURRENCY"] = "lots" });
        Assert.Contains("--concurrency 'lots' (from SALESINTEL_CONCURRENCY) must be a whole number between 1 and 512", errors);
    }

    [Fact]
    public void UnknownConfigKey_AndUnreadableConfig_AreErrors()
    {
        var (_, missing) = Read(["--date", "2026-11-27", "--config", "/nonexistent/salesintel.json"]);
        Assert.Contains(missing, e => e.StartsWith("config file '/nonexistent/salesintel.json' (from --config) cannot be read", StringComparison.Ordinal));
        var config = Path.GetTempFileName();
        try
        {
            File.WriteAllText(config, """{ "limt": 10 }""");
            var (_, errors) = Read(["--date", "2026-11-27", "--config", config]);
            Assert.Contains($"config file '{config}': unknown key \"limt\"", errors);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void RunId_FromCloudRunExecution_AndValidated()
    {
        var (s, _) = Read(["--date", "2026-11-27"], new Dictionary<string, string> { ["CLOUD_RUN_EXECUTION"] = "salesintel-abc12" });
        Assert.Equal("salesintel-abc12", s.RunId);
        var (_, errors) = Read(["--date", "2026-11-27", "--run-id", "bad id/with spaces"]);
        Assert.Contains("--run-id 'bad id/with spaces' must be 1-64 letters, digits, '.', '_' or '-'", errors);
    }

    [Theory]
    [InlineData(new[] { "--sink", "out/x.jsonl", "--dead-letter", "out/x.jsonl" }, "--dead-letter 'out/x.jsonl' is the same file as --sink 'out/x.jsonl'")]
    [InlineData(new[] { "--sink", "out/x.json", "--summary", "./out/../out/x.json" }, "--summary './out/../out/x.json' is the same file as --sink 'out/x.json'")]
    [InlineData(new[] { "--source", "in/a.csv", "--sink", "in/a.csv" }, "--sink 'in/a.csv' is the same file as --source 'in/a.csv'")]
    [InlineData(new[] { "--source", "out/summary.json" }, "--summary 'out/summary.json' (the default) is the same file as --source 'out/summary.json'")]
    [InlineData(new[] { "--dead-letter", "out/s.json", "--summary", "out/s.json" }, "--summary 'out/s.json' is the same file as --dead-letter 'out/s.json'")]
    public void OutputsOnOnePath_AreRefusedNamingBoth(string[] args, string expected)
    {
        var (_, errors) = Read(["--date", "2026-11-27", .. args]);
        var error = Assert.Single(errors);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.Contains("its own path", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DistinctPaths_AndTables_AreAccepted()
    {
        var (_, errors) = Read(["--date", "2026-11-27", "--source", "bq://p.d.t", "--sink", "bq://p.d.t", "--dead-letter", "out/d.jsonl", "--summary", "out/s.json"]);
        Assert.Empty(errors);
    }
}

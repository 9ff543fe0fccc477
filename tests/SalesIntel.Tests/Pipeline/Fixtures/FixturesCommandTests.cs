using SalesIntel.Pipeline;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Pipeline.Fixtures;

public sealed class FixturesCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("salesintel-fixtures-").FullName;

    [Fact]
    public async Task Generate_SameSeed_GivesTheSameBytes_AndTheFileScores()
    {
        var a = Path.Combine(_dir, "a.csv");
        var b = Path.Combine(_dir, "b.csv");
        var first = await CliRun.RunAsync(["fixtures", "generate", "--rows", "600", "--seed", "9", "--dates", "2026-11-01..2026-11-02", "--out", a]);
        await CliRun.RunAsync(["fixtures", "generate", "--rows", "600", "--seed", "9", "--dates", "2026-11-01..2026-11-02", "--out", b]);
        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Contains("wrote 600 rows", first.Stdout, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(a), await File.ReadAllBytesAsync(b));
        var score = await CliRun.RunAsync(["score", "--source", a, "--from", "2026-11-01", "--to", "2026-11-02", "--sink", Path.Combine(_dir, "r.arrow"), "--summary", Path.Combine(_dir, "s.json"), "--dead-letter", Path.Combine(_dir, "d.jsonl")]);
        Assert.Equal(ExitCodes.Success, score.ExitCode);
        Assert.Contains("written            600", score.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_BadOptions_AreAllReported()
    {
        var result = await CliRun.RunAsync(["fixtures", "generate", "--rows", "-1", "--dates", "2026-11-05..2026-11-01", "--out", Path.Combine(_dir, "x.parquet")]);
        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains("--rows '-1'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--dates '2026-11-05..2026-11-01'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("x.parquet", result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

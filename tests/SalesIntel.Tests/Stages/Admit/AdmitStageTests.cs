using SalesIntel.Stages.Admit;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks.DeadLetters;
using SalesIntel.Tests.Stages.Scoring.Gemini;

namespace SalesIntel.Tests.Stages.Admit;

public sealed class AdmitStageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("salesintel-admit-").FullName;
    private readonly RunCounters _counters = new();
    private readonly DeadLetterFile _deadLetters;

    public AdmitStageTests() => _deadLetters = DeadLetterFile.Create(Path.Combine(_folder, "dead.jsonl"));

    private AdmitStage Stage(long maxRows = 1_000, long? limit = null, int chunkSize = 1, params IAdmitRule[] rules) =>
        new(new AdmitOptions { Dates = DateRange.All, Guard = new RowGuard(maxRows, limit), ChunkSize = chunkSize, Rules = rules }, _counters, _deadLetters);

    private static DecodedBatch Batch(int count, string prefix = "acc", int outside = 0, params DeadLetter[] deadLetters) =>
        new([.. Enumerable.Range(0, count).Select(i => TestAccounts.Record($"{prefix}-{i}", line: i + 2))], deadLetters, outside);

    private static DeadLetter Bad(int line) => new("source", "unparsable_value", "employee_count 'ten' is not an INT64", new SourcePosition("in.csv", $"line {line}"));

    [Fact]
    public void Process_ReChunksToTheScorersBatchSizeInSourceOrder()
    {
        var chunks = Stage(chunkSize: 4).Process(Batch(10));
        Assert.Equal([4, 4, 2], chunks.Select(c => c.Length));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"acc-{i}"), chunks.SelectMany(c => c).Select(r => r.Signals.AccountId));
        Assert.Equal(10, _counters.Read);
    }

    [Fact]
    public void Process_CountsDeadLettersAsReadAndOutsideTheDateFilterAsNotRead()
    {
        var chunks = Stage().Process(Batch(3, outside: 7, deadLetters: [Bad(9), Bad(11)]));
        _deadLetters.Complete();
        Assert.Equal(3, chunks.Sum(c => c.Length));
        Assert.Equal((5L, 7L, 2L), (_counters.Read, _counters.OutsideDateFilter, _counters.DeadLettered));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(_folder, "dead.jsonl")).Length);
    }

    [Fact]
    public void Process_StopsAtTheLimitAcrossBatches()
    {
        var stage = Stage(limit: 7, chunkSize: 100);
        Assert.Equal(5, stage.Process(Batch(5, "a")).Sum(c => c.Length));
        Assert.False(stage.LimitReached);
        Assert.Equal(2, stage.Process(Batch(5, "b")).Sum(c => c.Length));
        Assert.True(stage.LimitReached);
        Assert.Empty(stage.Process(Batch(5, "c")));
        Assert.Equal(7, _counters.Read);
    }

    [Fact]
    public void Process_SkipsAlreadyCommittedAccountsAsReadAndSkipped_BeforeTheLimitCounts()
    {
        var committed = new HashSet<(string, DateOnly)> { ("acc-1", TestAccounts.Snapshot), ("acc-2", TestAccounts.Snapshot) };
        var stage = Stage(limit: 3, chunkSize: 100, rules: new AlreadyCommittedRule(committed));
        var admitted = stage.Process(Batch(6)).SelectMany(c => c).Select(r => r.Signals.AccountId);
        Assert.Equal(["acc-0", "acc-3", "acc-4"], admitted);
        Assert.Equal(5, _counters.Read);
        Assert.Equal(2, _counters.SkipReasons[AlreadyCommittedRule.Reason]);
    }

    [Fact]
    public void Process_FirstRuleWithAReasonDecides()
    {
        var stage = Stage(chunkSize: 100, rules: [new SkipIds("first", "acc-0", "acc-1"), new SkipIds("second", "acc-1", "acc-2")]);
        var admitted = stage.Process(Batch(4)).SelectMany(c => c).Select(r => r.Signals.AccountId);
        Assert.Equal(["acc-3"], admitted);
        Assert.Equal(2, _counters.SkipReasons["first"]);
        Assert.Equal(1, _counters.SkipReasons["second"]);
        Assert.Equal(_counters.Read, _counters.Skipped + 1);
    }

    [Fact]
    public void Process_TripsTheGuardOnceReadPassesMaxRows()
    {
        var stage = Stage(maxRows: 8);
        stage.Process(Batch(5, "a"));
        var e = Assert.Throws<GuardTrippedException>(() => stage.Process(Batch(5, "b")));
        Assert.Contains("--max-rows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_LimitUnderMaxRows_NeverTripsTheGuard()
    {
        var stage = Stage(maxRows: 10, limit: 5);
        for (var i = 0; i < 5; i++)
        {
            stage.Process(Batch(20, $"b{i}"));
        }

        Assert.True(stage.LimitReached);
        Assert.Equal(5, _counters.Read);
    }

    public void Dispose()
    {
        _deadLetters.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private sealed class SkipIds(string reason, params string[] ids) : IAdmitRule
    {
        public string? SkipReason(AccountRecord record) => ids.Contains(record.Signals.AccountId) ? reason : null;
    }
}

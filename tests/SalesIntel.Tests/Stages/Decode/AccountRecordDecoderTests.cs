using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Stages.Decode;

public sealed class AccountRecordDecoderTests
{
    [Fact]
    public void Decode_ReadsTypedSignalsHashAndPosition()
    {
        var decoder = new AccountRecordDecoder(DateRange.All, keepCanonicalJson: true);
        var result = decoder.Decode(TestAccounts.SourceBatch([new TestAccount("acc-1", TestAccounts.Day)], "in.csv", firstLine: 7));
        var record = Assert.Single(result.Records);
        Assert.Equal("acc-1", record.Signals.AccountId);
        Assert.Equal(TestAccounts.Day, record.Signals.SnapshotDate);
        Assert.Equal(12_500_000.5, record.Signals.AnnualRevenue);
        Assert.Equal(["data pipelines", "crm"], record.Signals.IntentTopics);
        Assert.Equal(new SourcePosition("in.csv", "line 7"), record.Position);
        Assert.Contains("\"annual_revenue\":\"12500000.5\"", record.CanonicalJson, StringComparison.Ordinal);
        Assert.Contains("\"snapshot_date\":\"2026-11-27\"", record.CanonicalJson, StringComparison.Ordinal);
        Assert.Equal(CanonicalJson.Hash(System.Text.Encoding.UTF8.GetBytes(record.CanonicalJson!)), record.InputHash);
    }

    [Fact]
    public void Decode_WithoutCanonicalJsonRequested_StillHashesTheSame()
    {
        var rows = TestAccounts.Many(3);
        var withJson = new AccountRecordDecoder(DateRange.All, true).Decode(TestAccounts.SourceBatch(rows));
        var without = new AccountRecordDecoder(DateRange.All, false).Decode(TestAccounts.SourceBatch(rows));
        Assert.All(without.Records, r => Assert.Null(r.CanonicalJson));
        Assert.Equal(withJson.Records.Select(r => r.InputHash), without.Records.Select(r => r.InputHash));
    }

    [Fact]
    public void Decode_RowsOutsideTheDates_AreCountedNotReturned()
    {
        var rows = TestAccounts.Many(4, new DateOnly(2026, 11, 26)).Concat(TestAccounts.Many(2)).ToArray();
        var result = new AccountRecordDecoder(DateRange.Single(TestAccounts.Day), false).Decode(TestAccounts.SourceBatch(rows));
        Assert.Equal(2, result.Records.Length);
        Assert.Equal(4, result.OutsideDateFilter);
    }

    [Fact]
    public void Decode_MissingAccountIdOrDate_IsADeadLetterWithItsLine()
    {
        var rows = new[] { new TestAccount(null, TestAccounts.Day), new TestAccount("acc-2", null), new TestAccount("  ", TestAccounts.Day), new TestAccount("acc-4", TestAccounts.Day) };
        var result = new AccountRecordDecoder(DateRange.All, false).Decode(TestAccounts.SourceBatch(rows, "in.csv", firstLine: 2));
        Assert.Equal("acc-4", Assert.Single(result.Records).Signals.AccountId);
        Assert.Collection(result.DeadLetters,
            d => Assert.Equal(("missing_account_id", "line 2"), (d.Reason, d.Position.Detail)),
            d => Assert.Equal(("missing_snapshot_date", "line 3", "acc-2"), (d.Reason, d.Position.Detail, d.AccountId)),
            d => Assert.Equal(("missing_account_id", "line 4"), (d.Reason, d.Position.Detail)));
    }

    [Fact]
    public void Decode_KeepsDeadLettersTheSourceAlreadyHad()
    {
        var rejected = new DeadLetter("source", "unparsable_value", "employee_count 'ten' is not an INT64", new SourcePosition("in.csv", "line 9"));
        var batch = new SourceBatch(TestAccounts.Batch(TestAccounts.Many(1)), "in.csv", i => $"line {i + 2}", [rejected]);
        var result = new AccountRecordDecoder(DateRange.All, false).Decode(batch);
        Assert.Same(rejected, Assert.Single(result.DeadLetters));
        Assert.Single(result.Records);
    }

    [Fact]
    public void Decode_MistypedColumn_IsASourceExceptionNamingIt()
    {
        var fields = AccountSignalsTable.Schema.Fields.Select(f => f.Name == "employee_count" ? f with { Type = BqType.String } : f).ToList();
        var schema = new TableSchema(fields);
        var e = Assert.Throws<SourceException>(() => AccountSchemaCheck.Validate(schema, "in.arrow"));
        Assert.Contains("column 'employee_count' is STRING, expected INT64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ListsEveryMissingRequiredColumnAtOnce()
    {
        var schema = new TableSchema(AccountSignalsTable.Schema.Fields.Where(f => !f.Required).ToList());
        var e = Assert.Throws<SourceException>(() => AccountSchemaCheck.Validate(schema, "in.csv"));
        Assert.Contains("'account_id'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'snapshot_date'", e.Message, StringComparison.Ordinal);
    }
}

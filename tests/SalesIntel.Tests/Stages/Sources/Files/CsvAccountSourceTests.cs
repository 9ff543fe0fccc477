using System.Text;
using System.Text.Json;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.Files;
using static SalesIntel.Tests.Stages.Sources.Files.FileTestSupport;

namespace SalesIntel.Tests.Stages.Sources.Files;

public sealed class CsvAccountSourceTests
{
    [Fact]
    public async Task ReadAsync_ShippedAccounts_YieldsEveryRowWithItsLine()
    {
        var result = await ReadAllAsync(Fixture("accounts.csv"));

        Assert.Equal(2000, result.Rows.Count);
        Assert.Empty(result.Rejected);
        Assert.EndsWith("accounts.csv (CSV)", result.Plan.Description, StringComparison.Ordinal);
        Assert.Null(result.Plan.EstimatedRows);
        Assert.Equal(new FileInfo(Fixture("accounts.csv")).Length, result.Plan.EstimatedBytes);
        Assert.Equal("line 2", result.Rows[0].Position.Detail);
        Assert.Contains("\"account_id\":\"acc-000001\"", result.Rows[0].Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_PathDoesNotExist_NamesPathAndWorkingDirectory()
    {
        var path = Path.Combine(NewTempDir(), "nope.csv");
        await using var source = FileSources.Open(new FileSourceOptions(path));

        var e = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
        Assert.Contains(Environment.CurrentDirectory, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_PathIsAFolder_SaysSo()
    {
        var dir = NewTempDir();
        await using var source = new CsvAccountSource(new FileSourceOptions(dir, FileFormat.Csv));

        var e = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("is a folder", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_EmptyFile_SaysItExpectedAHeaderLine()
    {
        await using var source = FileSources.Open(new FileSourceOptions(Fixture("bad/empty.csv")));

        var e = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("empty.csv is empty, expected a header line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_HeaderOnly_YieldsNoRowsAndNoError()
    {
        var result = await ReadAllAsync(Fixture("bad/header-only.csv"));

        Assert.Empty(result.Rows);
        Assert.Empty(result.Rejected);
        Assert.Equal(0, result.Batches);
    }

    [Fact]
    public async Task OpenAsync_HeaderWithoutRequiredColumn_NamesTheColumnAndWhatWasFound()
    {
        await using var source = FileSources.Open(new FileSourceOptions(Fixture("bad/missing-required-column.csv")));

        var e = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("required column 'snapshot_date' (DATE) is missing", e.Message, StringComparison.Ordinal);
        Assert.Contains("found: account_id,account_name,employee_count", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_ColumnTwiceInHeader_NamesBothPositions()
    {
        await using var source = FileSources.Open(new FileSourceOptions(Fixture("bad/duplicate-column.csv")));

        var e = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("column 'Account_Name' appears twice (header columns 2 and 3)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_HeaderWithBadQuoting_IsRefusedInsteadOfTakingTheNextLineAsHeader()
    {
        var path = WriteTemp("a.csv", "account_id,\"account\"_name,snapshot_date\nacc-1,A,2026-11-27\n");
        await using var source = FileSources.Open(new FileSourceOptions(path));

        var e = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("the header line (line 1) has bad quoting: text after the closing quote", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_HeaderColumnOfWrongTypeForTheSchema_IsRefusedBeforeReading()
    {
        // A custom schema without employee_count makes the header's employee_count an extra STRING column,
        // which account_signals cannot accept.
        var schema = new TableSchema(AccountSignalsTable.Schema.Fields.Where(f => f.Name != "employee_count").ToList());
        var path = WriteTemp("a.csv", "account_id,employee_count,snapshot_date\nacc-1,5,2026-11-27\n");
        await using var source = FileSources.Open(new FileSourceOptions(path, Schema: schema));

        var e = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("column 'employee_count' is STRING, expected INT64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_BadQuoting_RejectsThoseLinesAndKeepsTheRest()
    {
        var result = await ReadAllAsync(Fixture("bad/bad-quoting.csv"));

        Assert.Equal(["line 2", "line 5", "line 6"], result.Rows.Select(r => r.Position.Detail));
        var stray = result.RejectedAt("line 3");
        Assert.Equal("bad_quoting", stray.Reason);
        Assert.Contains("a quote inside an unquoted field", stray.Message, StringComparison.Ordinal);
        Assert.Contains("Stray \"quote\" here", stray.Raw, StringComparison.Ordinal);
        var after = result.RejectedAt("line 4");
        Assert.Equal("bad_quoting", after.Reason);
        Assert.Contains("text after the closing quote", after.Message, StringComparison.Ordinal);
        Assert.Contains("\"account_name\":\"Properly \\\"escaped\\\", fine\"", result.Rows[1].Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_WrongColumnCount_RejectsWithBothCounts()
    {
        var result = await ReadAllAsync(Fixture("bad/wrong-column-count.csv"));

        Assert.Equal(["line 2", "line 5"], result.Rows.Select(r => r.Position.Detail));
        var short3 = result.RejectedAt("line 3");
        Assert.Equal("wrong_column_count", short3.Reason);
        Assert.Contains("has 3 fields, the header has 4", short3.Message, StringComparison.Ordinal);
        Assert.Equal("acc-000002", short3.AccountId);
        var long5 = result.RejectedAt("line 4");
        Assert.Contains("has 5 fields, the header has 4", long5.Message, StringComparison.Ordinal);
        Assert.Equal("acc-000003,Gamma, Inc.,30,2026-11-27", long5.Raw);
    }

    [Theory]
    [InlineData("line 3", "employee_count", "'twelve' is not a valid INT64; expected a whole number")]
    [InlineData("line 4", "annual_revenue", "'1,000.50' is not a valid NUMERIC; expected an exact decimal")]
    [InlineData("line 5", "annual_revenue", "'1000.0000000001' has more than 9 digits after the decimal point")]
    [InlineData("line 6", "intent_score", "'high' is not a valid FLOAT64; expected a number such as 0.75, or NaN")]
    [InlineData("line 7", "last_activity_at", "'yesterday' is not a valid TIMESTAMP; expected ISO 8601 with Z or an offset")]
    [InlineData("line 8", "renewal_date", "'2027-02-30' is not a valid DATE; expected yyyy-MM-dd")]
    [InlineData("line 9", "intent_topics", "'crm' is not valid JSON")]
    [InlineData("line 10", "snapshot_date", "'27/11/2026' is not a valid DATE")]
    [InlineData("line 11", "annual_revenue", "is out of range for NUMERIC (at most 29 digits before the decimal point)")]
    [InlineData("line 12", "employee_count", "'99999999999999999999' is not a valid INT64")]
    public async Task ReadAsync_UnparsableValue_DeadLetterNamesLineColumnValueAndForm(string line, string column, string expected)
    {
        var result = await ReadAllAsync(Fixture("bad/unparsable-values.csv"));

        var dead = result.RejectedAt(line);
        Assert.Equal("unparsable_value", dead.Reason);
        Assert.Equal("source", dead.Stage);
        Assert.StartsWith($"column '{column}': ", dead.Message, StringComparison.Ordinal);
        Assert.Contains(expected, dead.Message, StringComparison.Ordinal);
        Assert.NotNull(dead.AccountId);
        Assert.StartsWith(dead.AccountId, dead.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_UnparsableValues_KeepsTheGoodRowsWithExactValues()
    {
        var result = await ReadAllAsync(Fixture("bad/unparsable-values.csv"));

        Assert.Equal(["line 2", "line 13"], result.Rows.Select(r => r.Position.Detail));
        using var good = JsonDocument.Parse(result.Rows[0].Json);
        Assert.Equal("1000.5", good.RootElement.GetProperty("annual_revenue").GetString());
        Assert.Equal("crm", good.RootElement.GetProperty("intent_topics")[0].GetString());
        using var nan = JsonDocument.Parse(result.Rows[1].Json);
        Assert.Equal("NaN", nan.RootElement.GetProperty("intent_score").GetString());
        Assert.Equal("2026-11-20T10:00:00Z", nan.RootElement.GetProperty("last_activity_at").GetString());
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8_RejectsOnlyThatRowNamingTheColumn()
    {
        var result = await ReadAllAsync(Fixture("bad/invalid-utf8.csv"));

        Assert.Equal(["line 2", "line 4"], result.Rows.Select(r => r.Position.Detail));
        Assert.Contains("Café Société", result.Rows[0].Json, StringComparison.Ordinal);
        var dead = result.RejectedAt("line 3");
        Assert.Equal("invalid_utf8", dead.Reason);
        Assert.Contains("column 'account_name'", dead.Message, StringComparison.Ordinal);
        Assert.Contains("Caf\uFFFD Latin-1", dead.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_BomAndCrlf_ReadsHeaderAndKeepsLineBreaksInQuotedFields()
    {
        var result = await ReadAllAsync(Fixture("bad/bom-crlf.csv"));

        Assert.Empty(result.Rejected);
        Assert.Equal(["line 2", "line 4", "line 5"], result.Rows.Select(r => r.Position.Detail));
        Assert.Contains("\"notes\":\"first line\\r\\nsecond line\"", result.Rows[0].Json, StringComparison.Ordinal);
        Assert.Contains("\"notes\":null", result.Rows[1].Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_UnterminatedQuote_OneDeadLetterFromThatLineToTheEnd()
    {
        var result = await ReadAllAsync(Fixture("bad/unterminated-quote.csv"));

        Assert.Equal(["line 2", "line 3"], result.Rows.Select(r => r.Position.Detail));
        var dead = Assert.Single(result.Rejected);
        Assert.Equal("line 4", dead.Position.Detail);
        Assert.Equal("bad_quoting", dead.Reason);
        Assert.Contains("never closed", dead.Message, StringComparison.Ordinal);
        Assert.Contains("acc-000005", dead.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TenMegabyteNotesField_IsRejectedAndTheNeighboursAreRead()
    {
        var path = Path.Combine(NewTempDir(), "huge-notes.csv");
        await using (var file = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            await file.WriteAsync("account_id,notes,snapshot_date\nacc-1,short,2026-11-27\nacc-2,\"");
            var chunk = new string('x', 1 << 16);
            for (var i = 0; i < 160; i++)
            {
                await file.WriteAsync(chunk);
            }

            await file.WriteAsync("\",2026-11-27\nacc-3,after,2026-11-27\n");
        }

        var result = await ReadAllAsync(path);

        Assert.Equal(["line 2", "line 4"], result.Rows.Select(r => r.Position.Detail));
        var dead = result.RejectedAt("line 3");
        Assert.Equal("field_too_large", dead.Reason);
        Assert.Contains("column 'notes' is 10,485,760 bytes, over the limit of 1,048,576", dead.Message, StringComparison.Ordinal);
        Assert.Equal("acc-2", dead.AccountId);
        Assert.True(dead.Raw!.Length < 1100, "the raw line in the dead letter is truncated");
    }

    [Fact]
    public async Task ReadAsync_EmptyRequiredValue_IsRejected()
    {
        var path = WriteTemp("a.csv", "account_id,snapshot_date\nacc-1,\n,2026-11-27\nacc-3,2026-11-27\n");

        var result = await ReadAllAsync(path);

        Assert.Equal(["line 4"], result.Rows.Select(r => r.Position.Detail));
        Assert.Equal("missing_required_value", result.RejectedAt("line 2").Reason);
        Assert.Contains("column 'snapshot_date' is empty; it is REQUIRED", result.RejectedAt("line 2").Message, StringComparison.Ordinal);
        Assert.Contains("column 'account_id' is empty", result.RejectedAt("line 3").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_QuotedEmptyIsEmptyString_UnquotedEmptyIsNull_MissingColumnIsNull()
    {
        var path = WriteTemp("a.csv", "account_id,account_name,industry,employee_count,snapshot_date\nacc-1,\"\",,\"\",2026-11-27\n");

        var result = await ReadAllAsync(path);

        using var doc = JsonDocument.Parse(Assert.Single(result.Rows).Json);
        var row = doc.RootElement;
        Assert.Equal("", row.GetProperty("account_name").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("industry").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("employee_count").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("notes").ValueKind);
        Assert.Equal(0, row.GetProperty("intent_topics").GetArrayLength());
        Assert.Contains(result.Plan.Details, d => d.StartsWith("not in the file, read as NULL: domain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_ColumnNotInSchema_IsKeptAsString()
    {
        var path = WriteTemp("a.csv", "account_id,region_code,snapshot_date\nacc-1,042,2026-11-27\n");

        var result = await ReadAllAsync(path);

        Assert.Contains("\"region_code\":\"042\"", Assert.Single(result.Rows).Json, StringComparison.Ordinal);
        Assert.Equal(BqType.String, result.Plan.Schema.Find("region_code")!.Type);
        Assert.Contains("not in the schema, read as STRING: region_code", result.Plan.Details);
    }

    [Theory]
    [InlineData("2024-05-01 10:20:30.123456 UTC", "2024-05-01T10:20:30.123456Z")]
    [InlineData("2024-05-01T10:20:30Z", "2024-05-01T10:20:30Z")]
    [InlineData("2024-05-01T12:20:30+02:00", "2024-05-01T10:20:30Z")]
    [InlineData("2024-05-01T05:20:30.5-0500", "2024-05-01T10:20:30.500000Z")]
    [InlineData("2024-05-01 10:20:30", "2024-05-01T10:20:30Z")]
    [InlineData("2024-05-01T10:20:30.1234560Z", "2024-05-01T10:20:30.123456Z")]
    public async Task ReadAsync_TimestampForms_AreNormalisedToUtcMicros(string text, string canonical)
    {
        var path = WriteTemp("a.csv", $"account_id,last_activity_at,snapshot_date\nacc-1,{text},2026-11-27\n");

        var result = await ReadAllAsync(path);

        Assert.Contains($"\"last_activity_at\":\"{canonical}\"", Assert.Single(result.Rows).Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TimestampFinerThanMicroseconds_IsRejectedNotRounded()
    {
        var path = WriteTemp("a.csv", "account_id,last_activity_at,snapshot_date\nacc-1,2024-05-01T10:20:30.1234567Z,2026-11-27\n");

        var result = await ReadAllAsync(path);

        Assert.Empty(result.Rows);
        Assert.Equal("unparsable_value", result.RejectedAt("line 2").Reason);
    }

    [Fact]
    public async Task ReadAsync_RowDetails_PointAtTheRightLinesAcrossBatchesAndMultiLineRecords()
    {
        var text = new StringBuilder("account_id,notes,employee_count,snapshot_date\n");
        var expected = new List<(string Id, int Line)>();
        var line = 2;
        for (var i = 0; i < 50; i++)
        {
            if (i % 7 == 3)
            {
                text.Append($"acc-{i},bad,notanumber,2026-11-27\n");
                line++;
                continue;
            }

            var multi = i % 5 == 0;
            text.Append($"acc-{i},{(multi ? "\"two\nlines\"" : "one")},{i},2026-11-27\n");
            expected.Add(($"acc-{i}", line));
            line += multi ? 2 : 1;
        }

        var result = await ReadAllAsync(WriteTemp("a.csv", text.ToString()), batchSize: 8);

        Assert.Equal(expected.Count, result.Rows.Count);
        for (var k = 0; k < expected.Count; k++)
        {
            Assert.Contains($"\"account_id\":\"{expected[k].Id}\"", result.Rows[k].Json, StringComparison.Ordinal);
            Assert.Equal($"line {expected[k].Line}", result.Rows[k].Position.Detail);
        }

        Assert.Equal(50 - expected.Count, result.Rejected.Count);
        Assert.True(result.Batches >= 6);
    }

    [Theory]
    [InlineData("bad/bad-quoting.csv", 5)]
    [InlineData("bad/wrong-column-count.csv", 4)]
    [InlineData("bad/unparsable-values.csv", 12)]
    [InlineData("bad/invalid-utf8.csv", 3)]
    [InlineData("bad/bom-crlf.csv", 3)]
    [InlineData("bad/header-only.csv", 0)]
    [InlineData("accounts.csv", 2000)]
    public async Task ReadAsync_EveryDataRecord_IsYieldedOrRejected(string file, int records)
    {
        var result = await ReadAllAsync(Fixture(file), batchSize: 3);

        Assert.Equal(records, result.Rows.Count + result.Rejected.Count);
    }

    [Fact]
    public async Task ReadAsync_CancelledAfterFirstBatch_StopsWithCancellation()
    {
        await using var source = FileSources.Open(new FileSourceOptions(Fixture("accounts.csv"), BatchSize: 100));
        using var cts = new CancellationTokenSource();
        var batches = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var batch in source.ReadAsync(cts.Token))
            {
                batch.Rows.Dispose();
                batches++;
                await cts.CancelAsync();
            }
        });

        Assert.Equal(1, batches);
    }
}

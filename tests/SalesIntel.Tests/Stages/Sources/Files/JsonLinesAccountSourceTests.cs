using System.Text;
using System.Text.Json;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.Files;
using static SalesIntel.Tests.Stages.Sources.Files.FileTestSupport;

namespace SalesIntel.Tests.Stages.Sources.Files;

public sealed class JsonLinesAccountSourceTests
{
    [Fact]
    public async Task ReadAsync_BadLines_EachRejectedWithItsLineAndTheGoodOnesKept()
    {
        var result = await ReadAllAsync(Fixture("bad/not-json.jsonl"));

        Assert.Equal(["line 1", "line 8"], result.Rows.Select(r => r.Position.Detail));
        var notJson = result.RejectedAt("line 2");
        Assert.Equal("invalid_json", notJson.Reason);
        Assert.Contains("the line is not valid JSON", notJson.Message, StringComparison.Ordinal);
        Assert.Equal("this is not json", notJson.Raw);
        var array = result.RejectedAt("line 4");
        Assert.Equal("not_an_object", array.Reason);
        Assert.Contains("the line is a JSON array; expected an object", array.Message, StringComparison.Ordinal);
        var wrongType = result.RejectedAt("line 5");
        Assert.Equal("unparsable_value", wrongType.Reason);
        Assert.Contains("column 'employee_count': 'many' is not a valid INT64", wrongType.Message, StringComparison.Ordinal);
        Assert.Equal("acc-000004", wrongType.AccountId);
        var unknown = result.RejectedAt("line 6");
        Assert.Equal("unknown_column", unknown.Reason);
        Assert.Contains("key 'shoe_size' is not a column", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("invalid_json", result.RejectedAt("line 7").Reason);
        Assert.Equal(7, result.Rows.Count + result.Rejected.Count);
    }

    [Fact]
    public async Task ReadAsync_ValueOfTheWrongJsonType_NamesColumnAndExpectedForm()
    {
        var path = WriteTemp("a.jsonl",
            """
            {"account_id":"acc-1","intent_topics":"crm","snapshot_date":"2026-11-27"}
            {"account_id":"acc-2","last_meeting_date":20261127,"snapshot_date":"2026-11-27"}
            {"account_id":"acc-3","intent_topics":["crm",null],"snapshot_date":"2026-11-27"}
            {"account_id":"acc-4","employee_count":1.5,"snapshot_date":"2026-11-27"}
            {"account_id":"acc-5","account_name":"x","account_name":"y","snapshot_date":"2026-11-27"}
            {"account_id":null,"snapshot_date":"2026-11-27"}
            {"account_id":"acc-7"}
            """);

        var result = await ReadAllAsync(path);

        Assert.Empty(result.Rows);
        Assert.Contains("column 'intent_topics': a JSON string is not a valid ARRAY<STRING>; expected a JSON array", result.RejectedAt("line 1").Message, StringComparison.Ordinal);
        Assert.Contains("column 'last_meeting_date': a JSON number is not a valid DATE; expected a JSON string in the form yyyy-MM-dd", result.RejectedAt("line 2").Message, StringComparison.Ordinal);
        Assert.Contains("element 1 is null; ARRAY elements cannot be NULL", result.RejectedAt("line 3").Message, StringComparison.Ordinal);
        Assert.Contains("'1.5' is not a valid INT64", result.RejectedAt("line 4").Message, StringComparison.Ordinal);
        Assert.Equal("duplicate_key", result.RejectedAt("line 5").Reason);
        Assert.Equal("missing_required_value", result.RejectedAt("line 6").Reason);
        Assert.Contains("key 'snapshot_date' is missing; it is REQUIRED", result.RejectedAt("line 7").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CanonicalForms_AreAccepted()
    {
        var path = WriteTemp("a.jsonl",
            "\uFEFF{\"account_id\":\"acc-1\",\"employee_count\":\"9007199254740993\",\"annual_revenue\":12.5,\"arr\":\"99999999999999999999999999999.999999999\","
            + "\"intent_score\":\"NaN\",\"product_usage_trend\":\"-Infinity\",\"last_activity_at\":\"2026-11-20T10:00:00.000001Z\",\"snapshot_date\":\"2026-11-27\"}\r\n"
            + "\r\n   \n"
            + "{\"account_id\":\"acc-\\u0032\",\"notes\":\"line\\nbreak \\\"q\\\" \\ud83d\\ude80\",\"snapshot_date\":\"2026-11-27\"}");

        var result = await ReadAllAsync(path);

        Assert.Empty(result.Rejected);
        Assert.Equal(["line 1", "line 4"], result.Rows.Select(r => r.Position.Detail));
        using var first = JsonDocument.Parse(result.Rows[0].Json);
        Assert.Equal("9007199254740993", first.RootElement.GetProperty("employee_count").GetString());
        Assert.Equal("12.5", first.RootElement.GetProperty("annual_revenue").GetString());
        Assert.Equal("99999999999999999999999999999.999999999", first.RootElement.GetProperty("arr").GetString());
        Assert.Equal("NaN", first.RootElement.GetProperty("intent_score").GetString());
        Assert.Equal("-Infinity", first.RootElement.GetProperty("product_usage_trend").GetString());
        Assert.Equal("2026-11-20T10:00:00.000001Z", first.RootElement.GetProperty("last_activity_at").GetString());
        using var second = JsonDocument.Parse(result.Rows[1].Json);
        Assert.Equal("acc-2", second.RootElement.GetProperty("account_id").GetString());
        Assert.Equal("line\nbreak \"q\" 🚀", second.RootElement.GetProperty("notes").GetString());
    }

    [Fact]
    public async Task OpenAsync_KeysOfTheFirstLineNotInTheSchema_BecomeStringColumns()
    {
        var path = WriteTemp("a.jsonl",
            """
            {"account_id":"acc-1","region":"emea","score_hint":7,"snapshot_date":"2026-11-27"}
            {"account_id":"acc-2","region":null,"score_hint":{"a":1},"snapshot_date":"2026-11-27"}
            """);

        var result = await ReadAllAsync(path);

        Assert.Equal(BqType.String, result.Plan.Schema.Find("region")!.Type);
        Assert.Contains("\"region\":\"emea\"", result.Rows[0].Json, StringComparison.Ordinal);
        Assert.Contains("\"score_hint\":\"7\"", result.Rows[0].Json, StringComparison.Ordinal);
        Assert.Contains("\"score_hint\":\"{\\\"a\\\":1}\"", result.Rows[1].Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8Line_IsRejected()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"account_id\":\"acc-1\",\"snapshot_date\":\"2026-11-27\"}\n")
            .Concat("{\"account_id\":\"acc-2\",\"account_name\":\"Caf"u8.ToArray()).Concat(new byte[] { 0xE9 })
            .Concat("\",\"snapshot_date\":\"2026-11-27\"}\n"u8.ToArray()).ToArray();

        var result = await ReadAllAsync(WriteTemp("a.jsonl", bytes));

        Assert.Single(result.Rows);
        Assert.Equal("invalid_utf8", result.RejectedAt("line 2").Reason);
    }

    [Fact]
    public async Task ReadAsync_LongStringValue_IsRejectedAsTooLarge()
    {
        var notes = new string('n', (1 << 20) + 1);
        var path = WriteTemp("a.jsonl", $"{{\"account_id\":\"acc-1\",\"notes\":\"{notes}\",\"snapshot_date\":\"2026-11-27\"}}\n{{\"account_id\":\"acc-2\",\"snapshot_date\":\"2026-11-27\"}}\n");

        var result = await ReadAllAsync(path);

        Assert.Equal(["line 2"], result.Rows.Select(r => r.Position.Detail));
        var dead = result.RejectedAt("line 1");
        Assert.Equal("field_too_large", dead.Reason);
        Assert.Equal("acc-1", dead.AccountId);
    }

    [Fact]
    public async Task ReadAsync_FieldLimit_IsOnTheDecodedValue_AsInCsv()
    {
        // 600,000 quotes: 1.2 MB of escaped JSON text, 600 KB of value (under 1 MiB); the same value from CSV is
        // 1.2 MB of doubled quotes. Both formats must accept it, and give the same canonical JSON.
        var quotes = new string('"', 600_000);
        var jsonl = WriteTemp("q.jsonl", $"{{\"account_id\":\"acc-1\",\"notes\":\"{quotes.Replace("\"", "\\\"", StringComparison.Ordinal)}\",\"snapshot_date\":\"2026-11-27\"}}\n");
        var csv = WriteTemp("q.csv", $"account_id,notes,snapshot_date\nacc-1,\"{quotes.Replace("\"", "\"\"", StringComparison.Ordinal)}\",2026-11-27\n");

        var fromJsonl = await ReadAllAsync(jsonl);
        var fromCsv = await ReadAllAsync(csv);

        Assert.Empty(fromJsonl.Rejected);
        Assert.Empty(fromCsv.Rejected);
        Assert.Equal(fromCsv.Rows.Single().Json, fromJsonl.Rows.Single().Json);
        Assert.Equal(fromCsv.Rows.Single().Hash, fromJsonl.Rows.Single().Hash);
    }

    [Fact]
    public async Task ReadAsync_EscapedValueOverTheLimitOnceDecoded_IsTooLargeWithItsDecodedSize()
    {
        var newlines = string.Concat(Enumerable.Repeat("\\n", 1_100_000));
        var path = WriteTemp("n.jsonl", $"{{\"account_id\":\"acc-1\",\"notes\":\"{newlines}\",\"snapshot_date\":\"2026-11-27\"}}\n");

        var dead = (await ReadAllAsync(path)).RejectedAt("line 1");

        Assert.Equal("field_too_large", dead.Reason);
        Assert.Contains("column 'notes' is 1,100,000 bytes", dead.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_Float64_FollowsBigQuerysTextForms_InJsonAndCsvAlike()
    {
        var jsonl = WriteTemp("f.jsonl", """
            {"account_id":"acc-1","intent_score":"inf","snapshot_date":"2026-11-27"}
            {"account_id":"acc-2","intent_score":1e999,"snapshot_date":"2026-11-27"}
            {"account_id":"acc-3","intent_score":"1e999","snapshot_date":"2026-11-27"}
            """);
        var csv = WriteTemp("f.csv", "account_id,intent_score,snapshot_date\nacc-1,inf,2026-11-27\nacc-2,1e999,2026-11-27\nacc-3,-INFINITY,2026-11-27\n");

        var fromJsonl = await ReadAllAsync(jsonl);
        var fromCsv = await ReadAllAsync(csv);

        Assert.Contains("\"intent_score\":\"Infinity\"", fromJsonl.Rows.Single().Json, StringComparison.Ordinal);
        Assert.Contains("'1e999' is out of range for FLOAT64", fromJsonl.RejectedAt("line 2").Message, StringComparison.Ordinal);
        Assert.Contains("'1e999' is out of range for FLOAT64", fromJsonl.RejectedAt("line 3").Message, StringComparison.Ordinal);
        Assert.Equal(2, fromCsv.Rows.Count);
        Assert.Equal(fromJsonl.Rows[0].Json, fromCsv.Rows[0].Json);
        Assert.Contains("\"intent_score\":\"-Infinity\"", fromCsv.Rows[1].Json, StringComparison.Ordinal);
        Assert.Contains("'1e999' is out of range for FLOAT64", fromCsv.RejectedAt("line 3").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_EmptyFile_IsAClearError()
    {
        await using var source = FileSources.Open(new FileSourceOptions(WriteTemp("a.jsonl", "")));

        var e = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("is empty, expected one JSON object per line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CancelledDuringRead_Stops()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 500; i++)
        {
            text.Append($"{{\"account_id\":\"acc-{i}\",\"snapshot_date\":\"2026-11-27\"}}\n");
        }

        await using var source = FileSources.Open(new FileSourceOptions(WriteTemp("a.jsonl", text.ToString()), BatchSize: 50));
        using var cts = new CancellationTokenSource();
        var batches = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var batch in source.ReadAsync(cts.Token))
            {
                batch.Rows.Dispose();
                if (++batches == 2)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(2, batches);
    }
}

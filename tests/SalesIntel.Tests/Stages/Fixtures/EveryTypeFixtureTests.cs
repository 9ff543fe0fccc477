using System.Text.Json;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Fixtures;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources;
using SalesIntel.Stages.Sources.Files;
using static SalesIntel.Tests.Stages.Sources.Files.FileTestSupport;

namespace SalesIntel.Tests.Stages.Fixtures;

public sealed class EveryTypeFixtureTests
{
    [Fact]
    public void Schema_CoversEveryBigQueryType()
    {
        var types = new HashSet<BqType>();
        var repeated = false;
        var structWithArray = false;
        void Walk(IEnumerable<BqField> fields)
        {
            foreach (var f in fields)
            {
                types.Add(f.Type);
                repeated |= f.Repeated;
                structWithArray |= f.Type == BqType.Struct && f.Children.Any(c => c.Repeated);
                Walk(f.Children);
            }
        }

        Walk(EveryTypeFixture.Schema.Fields);

        Assert.Equal(Enum.GetValues<BqType>().ToHashSet(), types);
        Assert.True(repeated && structWithArray);
    }

    [Fact]
    public void ShippedSchemaJson_ParsesToTheFixtureSchema()
    {
        var parsed = TableSchema.ParseBigQueryJson(File.ReadAllText(Fixture("every-type.schema.json")));

        Assert.Equal(EveryTypeFixture.Schema.Fields.Select(f => $"{f.Name} {f.TypeName} {f.Required}"), parsed.Fields.Select(f => $"{f.Name} {f.TypeName} {f.Required}"));
    }

    [Fact]
    public async Task ShippedFiles_AllDecodeToIdenticalCanonicalJsonAndHashes()
    {
        var schema = TableSchema.ParseBigQueryJson(File.ReadAllText(Fixture("every-type.schema.json")));
        var csv = await DecodeAllAsync(Fixture("every-type.csv"), schema);
        var jsonl = await DecodeAllAsync(Fixture("every-type.jsonl"), schema);
        var arrow = await DecodeAllAsync(Fixture("every-type.arrow"), null);

        Assert.Equal(5, csv.Count);
        Assert.Equal(csv.Select(r => r.CanonicalJson), jsonl.Select(r => r.CanonicalJson));
        Assert.Equal(csv.Select(r => r.CanonicalJson), arrow.Select(r => r.CanonicalJson));
        Assert.Equal(csv.Select(r => r.InputHash), jsonl.Select(r => r.InputHash));
        Assert.Equal(csv.Select(r => r.InputHash), arrow.Select(r => r.InputHash));
        Assert.Equal(CanonicalRows([EveryTypeFixture.Build()]), arrow.Select(r => r.CanonicalJson));
    }

    [Fact]
    public void Build_ExtremesRow_HasTheExactCanonicalValues()
    {
        using var doc = JsonDocument.Parse(CanonicalRows([EveryTypeFixture.Build()])[1]);
        var row = doc.RootElement;

        Assert.Equal("-9223372036854775808", row.GetProperty("employee_count").GetString());
        Assert.Equal("9007199254740993", row.GetProperty("web_visits_30d").GetString());
        Assert.Equal("99999999999999999999999999999.999999999", row.GetProperty("annual_revenue").GetString());
        Assert.Equal("0.000000001", row.GetProperty("pipeline_amount").GetString());
        Assert.Equal("-99999999999999999999999999999999999999.99999999999999999999999999999999999999", row.GetProperty("big_number").GetString());
        Assert.Equal("NaN", row.GetProperty("ratio").GetString());
        Assert.Equal("Infinity", row.GetProperty("intent_score").GetString());
        Assert.Equal("-Infinity", row.GetProperty("product_usage_trend").GetString());
        Assert.Equal("0001-01-01T00:00:00Z", row.GetProperty("last_activity_at").GetString());
        Assert.Equal("9999-12-31T23:59:59.999999", row.GetProperty("local_datetime").GetString());
        Assert.Equal("23:59:59.999999", row.GetProperty("local_time").GetString());
        Assert.Equal("AAECAwQF/w==", row.GetProperty("payload").GetString());
        Assert.Equal("""[1,2.5,-3e-7,"x"]""", row.GetProperty("attributes").GetRawText());
        Assert.Equal("""{"address":null,"emails":[],"name":null,"scores":["-9223372036854775808","9223372036854775807"]}""", row.GetProperty("contact").GetRawText());
        Assert.Equal("""[{"at":"9999-12-31T23:59:59.999999Z","kind":null}]""", row.GetProperty("events").GetRawText());
    }

    [Fact]
    public void Build_NullRow_IsNullEverywhereExceptKeysAndEmptyArrays()
    {
        using var doc = JsonDocument.Parse(CanonicalRows([EveryTypeFixture.Build()])[2]);

        foreach (var property in doc.RootElement.EnumerateObject())
        {
            var expected = property.Name switch
            {
                "account_id" or "snapshot_date" => JsonValueKind.String,
                "intent_topics" or "counts" or "events" => JsonValueKind.Array,
                _ => JsonValueKind.Null,
            };
            Assert.True(expected == property.Value.ValueKind, $"{property.Name} is {property.Value.ValueKind}");
        }
    }

    [Fact]
    public void Build_UnicodeRow_KeepsQuotesLineBreaksEmptyStringsAndNegativeZero()
    {
        using var doc = JsonDocument.Parse(CanonicalRows([EveryTypeFixture.Build()])[3]);
        var row = doc.RootElement;

        Assert.Equal("\"Quoted\", Comma & Co.\r\nSecond line 🚀", row.GetProperty("account_name").GetString());
        Assert.Equal("", row.GetProperty("industry").GetString());
        Assert.Equal("", row.GetProperty("label").GetString());
        Assert.Equal("", row.GetProperty("payload").GetString());
        Assert.Equal("-0", row.GetProperty("ratio").GetRawText());
        Assert.Equal(["a,b", "\"quoted\"", "line\nbreak", ""], row.GetProperty("intent_topics").EnumerateArray().Select(e => e.GetString()));
    }

    private static async Task<List<AccountRecord>> DecodeAllAsync(string path, TableSchema? schema)
    {
        await using IAccountSource source = FileSources.Open(new FileSourceOptions(path, Schema: schema));
        await source.OpenAsync(CancellationToken.None);
        var decoder = new AccountRecordDecoder(DateRange.All, keepCanonicalJson: true);
        var records = new List<AccountRecord>();
        await foreach (var batch in source.ReadAsync(CancellationToken.None))
        {
            using var rows = batch.Rows;
            var decoded = decoder.Decode(batch);
            Assert.Empty(decoded.DeadLetters);
            records.AddRange(decoded.Records);
        }

        return records;
    }
}

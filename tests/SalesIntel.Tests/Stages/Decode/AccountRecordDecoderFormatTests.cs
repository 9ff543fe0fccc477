using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.Files;
using static SalesIntel.Tests.Stages.Sources.Files.FileTestSupport;

namespace SalesIntel.Tests.Stages.Decode;

public sealed class AccountRecordDecoderFormatTests
{
    [Fact]
    public async Task OneAccount_FromCsvJsonLinesAndAnArrowFileWithoutOptionalColumns_HashesTheSame()
    {
        var csv = WriteTemp("a.csv", "account_id,account_name,employee_count,snapshot_date\nacc-1,Acme,12,2026-11-27\n");
        var jsonl = WriteTemp("a.jsonl", "{\"account_id\":\"acc-1\",\"account_name\":\"Acme\",\"employee_count\":12,\"snapshot_date\":\"2026-11-27\"}\n");
        var schema = new Schema.Builder()
            .Field(new Field("account_id", StringType.Default, false))
            .Field(new Field("account_name", StringType.Default, true))
            .Field(new Field("employee_count", Int64Type.Default, true))
            .Field(new Field("snapshot_date", Date32Type.Default, false))
            .Build();
        var arrow = Path.Combine(NewTempDir(), "a.arrow");
        using (var file = File.Create(arrow))
        {
            using var writer = new ArrowFileWriter(file, schema);
            writer.WriteRecordBatch(new RecordBatch(schema, [
                new StringArray.Builder().Append("acc-1").Build(),
                new StringArray.Builder().Append("Acme").Build(),
                new Int64Array.Builder().Append(12).Build(),
                new Date32Array.Builder().Append(new DateTime(2026, 11, 27)).Build(),
            ], 1));
            writer.WriteEnd();
        }

        var records = new List<AccountRecord>();
        foreach (var path in new[] { csv, jsonl, arrow })
        {
            records.Add(await DecodeSingleAsync(path));
        }

        var json = records[0].CanonicalJson!;
        Assert.Contains("\"notes\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"intent_topics\":[]", json, StringComparison.Ordinal);
        Assert.All(records, r => Assert.Equal((json, records[0].InputHash), (r.CanonicalJson, r.InputHash)));
    }

    private static async Task<AccountRecord> DecodeSingleAsync(string path)
    {
        await using var source = FileSources.Open(new FileSourceOptions(path));
        await source.OpenAsync(CancellationToken.None);
        var decoder = new AccountRecordDecoder(DateRange.All, keepCanonicalJson: true);
        var records = new List<AccountRecord>();
        await foreach (var batch in source.ReadAsync(CancellationToken.None))
        {
            using (batch.Rows)
            {
                var decoded = decoder.Decode(batch);
                Assert.Empty(decoded.DeadLetters);
                records.AddRange(decoded.Records);
            }
        }

        return Assert.Single(records);
    }
}

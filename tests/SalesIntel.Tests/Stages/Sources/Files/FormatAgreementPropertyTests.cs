using SalesIntel.Stages.Fixtures;
using SalesIntel.Stages.Formats;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.Files;
using static SalesIntel.Tests.Stages.Sources.Files.FileTestSupport;

namespace SalesIntel.Tests.Stages.Sources.Files;

/// <summary>
/// The promise of issue 9 as a property: random accounts of every BigQuery type (NULLs, range ends, hard text), written
/// in every file format, read back to the same canonical JSON and input hash as the batch they were written from, with
/// every row accounted for and no exception out of a source.
/// </summary>
public sealed class FormatAgreementPropertyTests
{
    private static readonly FileFormat[] Formats = [FileFormat.Csv, FileFormat.JsonLines, FileFormat.ArrowFile, FileFormat.ArrowStream];

    [Fact]
    public Task EveryFormat_GivesTheSameCanonicalJsonAndHash_ForRandomAccountsOfEveryType() =>
        PropertyRuns.CheckAsync(RandomAccounts.Rows(EveryTypeFixture.Schema, 1, 12), PropertyRuns.Iterations(40), async (rows, i) =>
        {
            var expected = CanonicalRows([RandomAccounts.ToBatch(EveryTypeFixture.Schema, rows)]);
            var dir = NewTempDir();
            string[]? hashes = null;
            foreach (var format in Formats)
            {
                var entry = FileFormatRegistry.Get(format);
                var path = Path.Combine(dir, $"case{i}{entry.Extensions[0]}");
                var batch = RandomAccounts.ToBatch(EveryTypeFixture.Schema, rows);
                var written = await AccountFileWriter.WriteAsync([batch], batch.Schema, path, format, CancellationToken.None);

                var read = await ReadAllAsync(path, EveryTypeFixture.Schema, batchSize: 5);

                Assert.Equal(rows.Length, written);
                Assert.True(read.Rejected.Count == 0, $"{entry.DisplayName}: {string.Join(" | ", read.Rejected.Select(d => $"{d.Reason} {d.Message}"))}");
                Assert.Equal(rows.Length, read.Rows.Count);
                Assert.Equal(expected, read.Rows.Select(r => r.Json));
                var these = read.Rows.Select(r => r.Hash).ToArray();
                Assert.Equal(hashes ?? these, these);
                hashes = these;
            }

            Directory.Delete(dir, recursive: true);
        });

    [Fact]
    public Task ArrowWrittenWithApacheArrowsOwnBuilders_ReadsAsOurBuildersWouldHaveBuiltIt() =>
        PropertyRuns.CheckAsync(RandomAccounts.Rows(AccountSignalsTable.Schema, 1, 12), PropertyRuns.Iterations(40), async (rows, i) =>
        {
            using var ours = RandomAccounts.ToBatch(AccountSignalsTable.Schema, rows);
            var expected = CanonicalRows([RandomAccounts.ToBatch(AccountSignalsTable.Schema, rows)]);
            var dir = NewTempDir();
            foreach (var fileFormat in new[] { true, false })
            {
                var path = Path.Combine(dir, fileFormat ? $"case{i}.arrow" : $"case{i}.arrows");
                using (var theirs = ApacheArrowBatch.Build(ours.Schema, AccountSignalsTable.Schema, rows))
                await using (var stream = File.Create(path))
                {
                    using Apache.Arrow.Ipc.ArrowStreamWriter writer = fileFormat
                        ? new Apache.Arrow.Ipc.ArrowFileWriter(stream, theirs.Schema)
                        : new Apache.Arrow.Ipc.ArrowStreamWriter(stream, theirs.Schema);
                    await writer.WriteRecordBatchAsync(theirs);
                    await writer.WriteEndAsync();
                }

                var read = await ReadAllAsync(path);

                Assert.True(read.Rejected.Count == 0, string.Join(" | ", read.Rejected.Select(d => $"{d.Reason} {d.Message}")));
                Assert.Equal(expected, read.Rows.Select(r => r.Json));
            }

            Directory.Delete(dir, recursive: true);
        });

    [Fact]
    public void Generator_CoversEveryTypeNullsAndRangeEnds()
    {
        // A property over a generator that never makes the hard cases proves little: check that it does.
        var cells = new List<string?[]>();
        var pcg = CsCheck.PCG.Parse("1c04f77d504556f19");
        var gen = RandomAccounts.Row(EveryTypeFixture.Schema);
        for (var i = 0; i < 400; i++)
        {
            cells.Add(gen.Generate(pcg, null, out _));
        }

        string?[] Column(string name) => cells.Select(c => c[EveryTypeFixture.Schema.IndexOf(name)]).ToArray();
        Assert.Contains(Column("notes"), s => s is null);
        Assert.Contains("9999-12-31", Column("renewal_date"));
        Assert.Contains("0001-01-01", Column("renewal_date"));
        Assert.Contains("NaN", Column("ratio"));
        Assert.Contains("-9223372036854775808", Column("big_int"));
        Assert.Contains("99999999999999999999999999999.999999999", Column("exact"));
        Assert.Contains(Column("label"), s => s is not null && s.Contains('\n', StringComparison.Ordinal) && s.Contains('"', StringComparison.Ordinal));
        Assert.Contains(Column("events"), s => s is not null && s.Length > 2);
        Assert.DoesNotContain(Column(AccountSignalsTable.KeyColumn), s => s is null);
    }
}

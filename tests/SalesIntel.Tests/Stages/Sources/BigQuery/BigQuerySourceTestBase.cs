using System.Text;
using Apache.Arrow;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources;
using SalesIntel.Stages.Sources.BigQuery;
using SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

namespace SalesIntel.Tests.Stages.Sources.BigQuery;

/// <summary>
/// Gives each test a fresh fake BigQueryRead (on the class's shared server) holding <c>account_signals</c> for three
/// days, read through the real client.
/// </summary>
public abstract class BigQuerySourceTestBase(SharedFakeBigQueryReadServer shared) : IAsyncLifetime, IClassFixture<SharedFakeBigQueryReadServer>
{
    internal const string TableName = "projects/acme-sales/datasets/crm/tables/account_signals";
    internal const string TableUri = "bq://acme-sales.crm.account_signals";
    internal const int AccountsPerDay = 2000;
    internal static readonly DateOnly[] Days = [new(2024, 5, 1), new(2024, 5, 2), new(2024, 5, 3)];
    private static readonly Lazy<List<RecordBatch>> AccountBatches = new(() => AccountSignalsBatches.Create(AccountsPerDay, Days, batchRows: 700));

    internal FakeBigQueryRead Fake => Server.Service;

    internal FakeBigQueryReadServer Server => shared.Server;

    internal InstantTimeProvider Clock { get; } = new();

    internal static List<RecordBatch> Accounts => AccountBatches.Value;

    public Task InitializeAsync()
    {
        Server.Reset().AddTable(TableName, AccountSignalsBatches.Schema, Accounts);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        // A fault the fake did not mean to raise would pass for an injected one; none may occur.
        Assert.Empty(Fake.UnexpectedErrors);
        return Task.CompletedTask;
    }

    internal BigQuerySourceOptions Options(DateRange? dates = null, int maxStreams = 4) => new()
    {
        Table = TableUri,
        Dates = dates ?? DateRange.Single(Days[0]),
        MaxStreams = maxStreams,
        EmulatorHost = Server.Host,
    };

    internal BigQuerySource Source(BigQuerySourceOptions options) => new(options, Clock);

    /// <summary>Opens and reads everything; returns the batches (positions included).</summary>
    internal static async Task<List<SourceBatch>> ReadAllAsync(BigQuerySource source, CancellationToken cancellationToken = default)
    {
        await source.OpenAsync(cancellationToken);
        var batches = new List<SourceBatch>();
        await foreach (var batch in source.ReadAsync(cancellationToken))
        {
            batches.Add(batch);
        }

        return batches;
    }

    /// <summary>Every row as canonical JSON, sorted (streams interleave, so order is not part of the contract).</summary>
    internal static List<string> CanonicalRows(IEnumerable<RecordBatch> batches)
    {
        var rows = new List<string>();
        CanonicalJson? json = null;
        foreach (var batch in batches)
        {
            json ??= new CanonicalJson(BigQueryArrowTypes.ToTableSchema(batch.Schema));
            for (var i = 0; i < batch.Length; i++)
            {
                rows.Add(Encoding.UTF8.GetString(json.Write(batch, i)));
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>The canonical rows of the test table for the given dates.</summary>
    internal static List<string> ExpectedRows(Func<DateOnly, bool> dates) =>
        CanonicalRows(Accounts.Where(b => dates(((Date32Array)b.Column(AccountSignalsTable.PartitionColumn)).GetDateOnly(0)!.Value)));

    /// <summary>Asserts the positions: each stream's offsets run 0, 1, 2, ... with no gap and no repeat.</summary>
    internal static void AssertContiguousOffsets(IEnumerable<SourceBatch> batches)
    {
        foreach (var stream in batches.GroupBy(b => b.Location))
        {
            var offsets = stream.SelectMany(b => Enumerable.Range(0, b.Rows.Length).Select(b.RowDetails)).ToList();
            Assert.Equal(Enumerable.Range(0, offsets.Count).Select(i => $"offset {i}"), offsets);
        }
    }
}

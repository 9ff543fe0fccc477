using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources;
using SalesIntel.Stages.Sources.BigQuery;
using SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Stages.Sources.BigQuery;

/// <summary>BigQuerySource under the source contract, reading the fake BigQueryRead through the real client with several streams.</summary>
public sealed class BigQuerySourceContractTests(SharedFakeBigQueryReadServer shared) : AccountSourceContractTests, IClassFixture<SharedFakeBigQueryReadServer>
{
    private const string TableName = "projects/acme-sales/datasets/crm/tables/account_signals";

    protected override bool Ordered => false;

    protected override ValueTask<IAccountSource> CreateAsync(IReadOnlyList<TestAccount> accounts)
    {
        var fake = shared.Server.Reset();
        fake.DefaultMaxStreams = 3;
        fake.RowsPerResponse = 250;
        fake.AddTable(TableName, TestAccounts.ArrowSchema, accounts.Chunk(400).Select(c => TestAccounts.Batch(c)).ToList());
        var options = new BigQuerySourceOptions
        {
            Table = "bq://acme-sales.crm.account_signals",
            Dates = DateRange.Single(TestAccounts.Day),
            MaxStreams = 3,
            EmulatorHost = shared.Server.Host,
        };
        return ValueTask.FromResult<IAccountSource>(new BigQuerySource(options, new InstantTimeProvider()));
    }
}

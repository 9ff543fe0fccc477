using SalesIntel.Stages.Sources;
using SalesIntel.Tests.Stages.Sources;

namespace SalesIntel.Tests.Support;

/// <summary>The test fake source under the source contract, so pipeline tests built on it see what real sources give.</summary>
public sealed class FakeAccountSourceContractTests : AccountSourceContractTests
{
    protected override ValueTask<IAccountSource> CreateAsync(IReadOnlyList<TestAccount> accounts) =>
        ValueTask.FromResult<IAccountSource>(new FakeAccountSource(accounts.Chunk(500).Select(c => (IReadOnlyList<TestAccount>)c).ToList()));
}

using SalesIntel.Stages.Fixtures;
using SalesIntel.Stages.Formats;
using SalesIntel.Stages.Sources;
using SalesIntel.Stages.Sources.Files;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Stages.Sources.Files;

/// <summary>A file source under the source contract: the accounts are written in its format by the fixture writer, then read back.</summary>
public abstract class FileAccountSourceContractTests : AccountSourceContractTests, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("salesintel-source-contract-").FullName;

    protected abstract FileFormat Format { get; }

    protected override async ValueTask<IAccountSource> CreateAsync(IReadOnlyList<TestAccount> accounts)
    {
        var entry = FileFormatRegistry.Get(Format);
        var path = Path.Combine(_folder, "accounts" + entry.Extensions[0]);
        var batches = accounts.Chunk(400).Select(c => TestAccounts.Batch(c)).ToList();
        await AccountFileWriter.WriteAsync(batches, TestAccounts.ArrowSchema, path, Format, CancellationToken.None);
        foreach (var batch in batches)
        {
            batch.Dispose();
        }

        return FileFormatRegistry.OpenSource(new FileSourceOptions(path, Format, BatchSize: 500));
    }

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}

public sealed class CsvAccountSourceContractTests : FileAccountSourceContractTests
{
    protected override FileFormat Format => FileFormat.Csv;
}

public sealed class JsonLinesAccountSourceContractTests : FileAccountSourceContractTests
{
    protected override FileFormat Format => FileFormat.JsonLines;
}

public sealed class ArrowFileAccountSourceContractTests : FileAccountSourceContractTests
{
    protected override FileFormat Format => FileFormat.ArrowFile;
}

public sealed class ArrowStreamAccountSourceContractTests : FileAccountSourceContractTests
{
    protected override FileFormat Format => FileFormat.ArrowStream;
}

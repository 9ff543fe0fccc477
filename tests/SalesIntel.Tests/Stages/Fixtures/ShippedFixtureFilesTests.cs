using SalesIntel.Stages.Fixtures;
using SalesIntel.Stages.Fixtures.Internal;
using SalesIntel.Stages.Sources.Files;
using static SalesIntel.Tests.Stages.Sources.Files.FileTestSupport;

namespace SalesIntel.Tests.Stages.Fixtures;

/// <summary>
/// The committed fixture files are exactly what the code generates. After an intended change, regenerate them with
/// <c>SALESINTEL_REGENERATE_FIXTURES=1 dotnet test tests/SalesIntel.Tests --filter FullyQualifiedName~ShippedFixtureFiles</c>.
/// </summary>
public sealed class ShippedFixtureFilesTests
{
    private const string RegenerateVariable = "SALESINTEL_REGENERATE_FIXTURES";

    /// <summary>The spec of fixtures/accounts.csv: 1,000 accounts on two dates.</summary>
    public static readonly FixtureSpec AccountsSpec = new(2000, 42, new DateOnly(2026, 11, 26), new DateOnly(2026, 11, 27));

    public static TheoryData<string> Files => ["every-type.csv", "every-type.jsonl", "every-type.arrow", "every-type.schema.json", "accounts.csv"];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task ShippedFixture_IsByteForByteWhatTheCodeGenerates(string name)
    {
        var generated = await GenerateAsync(name);
        var path = Fixture(name);
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            await File.WriteAllBytesAsync(path, generated);
        }

        Assert.True(File.Exists(path), $"fixtures/{name} is missing; generate it with {RegenerateVariable}=1 dotnet test tests/SalesIntel.Tests --filter FullyQualifiedName~ShippedFixtureFiles");
        var committed = await File.ReadAllBytesAsync(path);
        Assert.True(committed.AsSpan().SequenceEqual(generated),
            $"fixtures/{name} ({committed.Length} bytes) differs from what the code generates ({generated.Length} bytes). "
            + $"If the change is intended, regenerate: {RegenerateVariable}=1 dotnet test tests/SalesIntel.Tests --filter FullyQualifiedName~ShippedFixtureFiles");
    }

    private static async Task<byte[]> GenerateAsync(string name)
    {
        if (name == "every-type.schema.json")
        {
            return System.Text.Encoding.UTF8.GetBytes(BigQuerySchemaJson.Write(EveryTypeFixture.Schema));
        }

        var path = Path.Combine(NewTempDir(), name);
        var format = FileFormats.FromPath(name);
        if (name.StartsWith("accounts", StringComparison.Ordinal))
        {
            await AccountFileWriter.WriteAsync(AccountFixtureGenerator.Generate(AccountsSpec), AccountFixtureGenerator.ArrowSchema, path, format, CancellationToken.None);
        }
        else
        {
            var batch = EveryTypeFixture.Build();
            await AccountFileWriter.WriteAsync([batch], batch.Schema, path, format, CancellationToken.None);
        }

        return await File.ReadAllBytesAsync(path);
    }
}

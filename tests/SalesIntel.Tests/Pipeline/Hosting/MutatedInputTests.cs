using System.Text.Json;
using System.Text.RegularExpressions;
using CsCheck;
using SalesIntel.Pipeline;
using SalesIntel.Stages.Fixtures;
using SalesIntel.Stages.Sources.Files;
using SalesIntel.Tests.Stages.Sources.Files;
using SalesIntel.Tests.Support;
using static SalesIntel.Tests.Stages.Sources.Files.FileTestSupport;

namespace SalesIntel.Tests.Pipeline.Hosting;

/// <summary>
/// Small valid files of every format with bytes flipped, inserted or cut off, scored through the real CLI: every run
/// ends with a documented exit code and no stack trace, and a run that finishes accounts for every row it read.
/// </summary>
public sealed partial class MutatedInputTests : IDisposable
{
    private static readonly int[] Documented = [ExitCodes.Success, ExitCodes.Failed, ExitCodes.GuardTripped, ExitCodes.PartialWithDeadLetters];

    private readonly string _dir = NewTempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public enum Mutation
    {
        Flip,
        Insert,
        Truncate,
    }

    public static TheoryData<string> Files() => new("every-type.csv", "every-type.jsonl", "every-type.arrow", "every-type.arrows");

    [Theory]
    [MemberData(nameof(Files))]
    public async Task MutatedFile_EndsWithADocumentedExitCode_NoStackTrace_AndBalancedCounts(string name)
    {
        var original = await ValidBytesAsync(name);
        var cases = Gen.Select(Gen.Enum<Mutation>(), Gen.Double[0, 1], Gen.Byte.Array[1, 8]);
        var outcomes = new Dictionary<int, int>();
        await PropertyRuns.CheckAsync(cases, PropertyRuns.Iterations(12), async (mutation, i) =>
        {
            var (kind, where, bytes) = mutation;
            var mutated = Mutate(original, kind, (int)(where * (original.Length - 1)), bytes);
            var path = Path.Combine(_dir, $"m{i}{Path.GetExtension(name)}");
            await File.WriteAllBytesAsync(path, mutated);
            var summaryPath = Path.Combine(_dir, $"m{i}.summary.json");
            string[] schema = name.EndsWith(".csv", StringComparison.Ordinal) || name.EndsWith(".jsonl", StringComparison.Ordinal)
                ? ["--source-schema", Fixture("every-type.schema.json")]
                : [];

            var result = await CliRun.RunAsync(
            [
                "score", "--source", path, .. schema, "--all-dates", "--run-id", $"mutant-{i}",
                "--sink", Path.Combine(_dir, $"m{i}.out.jsonl"), "--dead-letter", Path.Combine(_dir, $"m{i}.dead.jsonl"), "--summary", summaryPath,
            ]);

            var seen = $"{kind} at {where:P0} of {name}: exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}";
            Assert.True(Documented.Contains(result.ExitCode), "undocumented exit code; " + seen);
            Assert.DoesNotContain("Unexpected failure", result.Stdout + result.Stderr, StringComparison.Ordinal);
            Assert.False(StackFrame().IsMatch(result.Stdout + result.Stderr), "stack trace; " + seen);
            if (result.ExitCode is ExitCodes.Success or ExitCodes.PartialWithDeadLetters)
            {
                using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(summaryPath));
                var s = summary.RootElement;
                long Count(string key) => s.GetProperty(key).GetInt64();
                Assert.Equal(Count("read"), Count("outside_date_filter") + Count("written") + Count("skipped") + Count("dead_lettered") + Count("abandoned"));
                Assert.True(s.GetProperty("balanced").GetBoolean(), seen);
            }
            else
            {
                // One line naming the file (the summary's error line, or the message before it).
                Assert.Contains(Path.GetFileName(path), ErrorLines(result.Stdout + result.Stderr), StringComparison.Ordinal);
            }

            outcomes[result.ExitCode] = outcomes.GetValueOrDefault(result.ExitCode) + 1;
        });

        Assert.NotEmpty(outcomes);
    }

    private async Task<byte[]> ValidBytesAsync(string name)
    {
        if (name.EndsWith(".arrows", StringComparison.Ordinal))
        {
            var path = Path.Combine(_dir, "valid.arrows");
            var batch = EveryTypeFixture.Build();
            await AccountFileWriter.WriteAsync([batch], batch.Schema, path, FileFormat.ArrowStream, CancellationToken.None);
            return await File.ReadAllBytesAsync(path);
        }

        return await File.ReadAllBytesAsync(Fixture(name));
    }

    private static byte[] Mutate(byte[] original, Mutation kind, int at, byte[] bytes) => kind switch
    {
        Mutation.Flip => [.. original[..at], (byte)(original[at] ^ (bytes[0] | 1)), .. original[(at + 1)..]],
        Mutation.Insert => [.. original[..at], .. bytes, .. original[at..]],
        _ => original[..at],
    };

    private static string ErrorLines(string output) =>
        string.Join("\n", output.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)));

    // A .NET stack frame line: "   at Namespace.Type.Method(" — what a user must never see.
    [GeneratedRegex(@"^\s+at [\w.`<>\[\]]+\(", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}

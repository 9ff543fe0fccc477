using System.Text;
using Apache.Arrow;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources;
using SalesIntel.Stages.Sources.Files;

namespace SalesIntel.Tests.Stages.Sources.Files;

/// <summary>Paths of the shipped fixtures, temp folders, and reading a whole source into rows and dead letters.</summary>
internal static class FileTestSupport
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SalesIntel.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SalesIntel.sln not found above " + AppContext.BaseDirectory);
    });

    public static string RepoRoot => Root.Value;

    public static string Fixture(string relative) => Path.Combine(RepoRoot, "fixtures", relative);

    public static string NewTempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "salesintel-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string WriteTemp(string name, string content) => WriteTemp(name, Encoding.UTF8.GetBytes(content));

    public static string WriteTemp(string name, byte[] content)
    {
        var path = Path.Combine(NewTempDir(), name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>Opens and reads a whole file; every row gets its canonical JSON, position and hash.</summary>
    public static async Task<ReadResult> ReadAllAsync(string path, TableSchema? schema = null, int batchSize = 8192, FileFormat? format = null)
    {
        await using var source = FileSources.Open(new FileSourceOptions(path, format, schema, batchSize));
        var plan = await source.OpenAsync(CancellationToken.None);
        var rows = new List<ReadRow>();
        var rejected = new List<DeadLetter>();
        var batches = 0;
        await foreach (var batch in source.ReadAsync(CancellationToken.None))
        {
            batches++;
            using var rowsBatch = batch.Rows;
            var json = new CanonicalJson(BigQueryArrowTypes.ToTableSchema(rowsBatch.Schema));
            for (var i = 0; i < rowsBatch.Length; i++)
            {
                var bytes = json.Write(rowsBatch, i);
                rows.Add(new ReadRow(Encoding.UTF8.GetString(bytes), CanonicalJson.Hash(bytes), batch.PositionOf(i)));
            }

            rejected.AddRange(batch.Rejected);
        }

        return new ReadResult(plan, rows, rejected, batches);
    }

    /// <summary>Canonical JSON of every row of batches (which are disposed).</summary>
    public static List<string> CanonicalRows(IEnumerable<RecordBatch> batches)
    {
        var result = new List<string>();
        foreach (var batch in batches)
        {
            using (batch)
            {
                var json = new CanonicalJson(BigQueryArrowTypes.ToTableSchema(batch.Schema));
                for (var i = 0; i < batch.Length; i++)
                {
                    result.Add(Encoding.UTF8.GetString(json.Write(batch, i)));
                }
            }
        }

        return result;
    }

    public sealed record ReadRow(string Json, string Hash, SourcePosition Position);

    public sealed record ReadResult(SourcePlan Plan, List<ReadRow> Rows, List<DeadLetter> Rejected, int Batches)
    {
        public DeadLetter RejectedAt(string detail) =>
            Rejected.SingleOrDefault(d => d.Position.Detail == detail) ?? throw new Xunit.Sdk.XunitException(
                $"no dead letter at {detail}; got: {string.Join(" | ", Rejected.Select(d => $"{d.Position.Detail} {d.Reason} {d.Message}"))}");
    }
}

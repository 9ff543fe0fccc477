using SalesIntel.Stages.Sinks.Files;

namespace SalesIntel.Tests.Stages.Sinks.Files.Internal;

public sealed class TempFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("salesintel-tempfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Create_RemovesTheTemporariesOfKilledRunsOfTheSameOutput_AndNothingElse()
    {
        var abandoned = Leftover(".recs.csv.4242.aaaa.tmp", age: TimeSpan.FromHours(1));
        var otherOutput = Leftover(".dead.jsonl.4242.bbbb.tmp", age: TimeSpan.FromHours(1));
        var justCreated = Leftover(".recs.csv.4343.cccc.tmp", age: TimeSpan.Zero);
        var stillWritten = Leftover(".recs.csv.4444.dddd.tmp", age: TimeSpan.FromHours(1));
        using var livingWriter = new FileStream(stillWritten, FileMode.Open, FileAccess.Write, FileShare.None);

        using (var file = TempFile.Create(Path.Combine(_folder, "recs.csv"), "recommendations file"))
        {
            file.Stream.WriteByte((byte)'x');
            file.Commit();
        }

        Assert.False(File.Exists(abandoned), "a temporary no process holds, of the same output, is removed");
        Assert.True(File.Exists(otherOutput), "another output's temporary is not ours to remove");
        Assert.True(File.Exists(justCreated), "a temporary younger than the lock window may belong to a run that just started");
        Assert.True(File.Exists(stillWritten), "a temporary its writer holds open belongs to a run still going");
        Assert.Equal("x", File.ReadAllText(Path.Combine(_folder, "recs.csv")));
    }

    [Fact]
    public void RemoveAbandoned_AfterTwentyKilledRuns_LeavesNoTemporaryBehind()
    {
        for (var i = 0; i < 20; i++)
        {
            Leftover($".recs.arrow.{1000 + i}.{i:x32}.tmp", age: TimeSpan.FromMinutes(i + 1));
        }

        Assert.Equal(20, TempFile.RemoveAbandoned(_folder, "recs.arrow"));
        Assert.Empty(Directory.EnumerateFiles(_folder));
    }

    private string Leftover(string name, TimeSpan age)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, "half a file");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }
}

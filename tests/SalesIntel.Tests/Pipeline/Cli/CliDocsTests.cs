using SalesIntel.Pipeline.Cli;

namespace SalesIntel.Tests.Pipeline.Cli;

/// <summary>Keeps docs/CLI.md in line with the options the CLI really parses.</summary>
public sealed class CliDocsTests
{
    private static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SalesIntel.sln")))
            {
                return File.ReadAllText(Path.Combine(dir.FullName, relative));
            }
        }

        throw new FileNotFoundException("SalesIntel.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void CliDoc_DocumentsEveryScoreOptionAndItsEnvironmentVariable()
    {
        var doc = RepoFile("docs/CLI.md");
        var missing = ScoreOptions.All
            .Where(o => !doc.Contains(o.Name + " ", StringComparison.Ordinal) || (o.EnvVar is not null && !doc.Contains(o.EnvVar, StringComparison.Ordinal)))
            .Select(o => o.Name)
            .ToList();
        Assert.True(missing.Count == 0, $"docs/CLI.md lacks {string.Join(", ", missing)}: regenerate its help section from 'salesintel score --help'");
    }

    [Fact]
    public void CliDoc_DocumentsEveryCompareOptionAndItsEnvironmentVariable()
    {
        var doc = RepoFile("docs/CLI.md");
        var section = doc[doc.IndexOf("## `salesintel compare`", StringComparison.Ordinal)..];
        var missing = SalesIntel.Pipeline.Compare.CompareCliOptions.All
            .Where(o => !section.Contains(o.Name + " ", StringComparison.Ordinal) || (o.EnvVar is not null && !section.Contains(o.EnvVar, StringComparison.Ordinal)))
            .Select(o => o.Name)
            .ToList();
        Assert.True(missing.Count == 0, $"docs/CLI.md's compare section lacks {string.Join(", ", missing)}: regenerate it from 'salesintel compare --help'");
    }
}

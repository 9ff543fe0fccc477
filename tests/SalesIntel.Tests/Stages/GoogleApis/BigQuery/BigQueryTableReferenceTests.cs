using SalesIntel.Stages.Errors;
using SalesIntel.Stages.GoogleApis.BigQuery;

namespace SalesIntel.Tests.Stages.GoogleApis.BigQuery;

public sealed class BigQueryTableReferenceTests
{
    [Fact]
    public void Parse_BqUri_GivesProjectDatasetTableAndResourceName()
    {
        var table = BigQueryTableReference.Parse("bq://acme-sales.crm.account_signals");

        Assert.Equal(new BigQueryTableReference("acme-sales", "crm", "account_signals"), table);
        Assert.Equal("projects/acme-sales/datasets/crm/tables/account_signals", table.ResourceName);
        Assert.Equal("bq://acme-sales.crm.account_signals", table.Uri);
    }

    [Fact]
    public void Parse_DomainScopedProject_KeepsTheDotsInTheProject()
    {
        var table = BigQueryTableReference.Parse("bq://example.com:acme-sales.crm.account_signals");

        Assert.Equal("example.com:acme-sales", table.ProjectId);
        Assert.Equal("crm", table.DatasetId);
        Assert.Equal("account_signals", table.TableId);
    }

    [Theory]
    [InlineData("accounts.csv", "is not a BigQuery table: expected bq://PROJECT.DATASET.TABLE")]
    [InlineData("bq://acme-sales.account_signals", "has 2 dot-separated part(s)")]
    [InlineData("bq://Acme.crm.account_signals", "project 'Acme' is not a project id")]
    [InlineData("bq://acme-sales.crm-eu.account_signals", "dataset 'crm-eu' may hold only letters, digits and underscores")]
    [InlineData("bq://acme-sales.crm.account_signals$20240501", "has a partition decorator")]
    [InlineData("bq://acme-sales.crm.", "table '' may hold only")]
    public void TryParse_Invalid_NamesTheProblem(string source, string problem)
    {
        Assert.False(BigQueryTableReference.TryParse(source, out _, out var message));
        Assert.Contains(problem, message);
        Assert.Contains($"--source '{source}'", message);
        Assert.Throws<ConfigurationException>(() => BigQueryTableReference.Parse(source));
    }

    [Fact]
    public void Parse_UnicodeTableNameWithSpaceAndDash_IsAcceptedAsBigQueryAllows()
    {
        var table = BigQueryTableReference.Parse("bq://acme-sales.crm.Konten Übersicht-2026");

        Assert.Equal("Konten Übersicht-2026", table.TableId);
        Assert.Equal("projects/acme-sales/datasets/crm/tables/Konten Übersicht-2026/streams/_default", table.DefaultStream);
    }

    [Theory]
    [InlineData("bq://ab.crm.recs", "project 'ab' is not a project id")]
    [InlineData("bq://a-project-id-longer-than-thirty-characters.crm.recs", "is not a project id")]
    [InlineData("bq://acme-sales-.crm.recs", "is not a project id")]
    [InlineData("bq://acme-sales.crm.recs!", "table 'recs!' may hold only")]
    public void TryParse_SinkOption_NamesTheSinkOptionAndTheRule(string sink, string problem)
    {
        Assert.False(BigQueryTableReference.TryParse(sink, "--sink", out _, out var message));

        Assert.StartsWith($"--sink '{sink}'", message, StringComparison.Ordinal);
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DatasetAt1024CharactersIsAccepted_At1025IsNot()
    {
        var longest = new string('d', 1024);

        Assert.Equal(longest, BigQueryTableReference.Parse($"bq://acme-sales.{longest}.t").DatasetId);
        Assert.False(BigQueryTableReference.TryParse($"bq://acme-sales.{longest}d.t", out _, out _));
    }

    [Fact]
    public void TryParse_SurroundingWhiteSpace_IsIgnored()
    {
        Assert.True(BigQueryTableReference.TryParse("  bq://acme-sales.crm.recs ", "--sink", out var table, out _));

        Assert.Equal("bq://acme-sales.crm.recs", table.Uri);
    }

    [Theory]
    [InlineData("acme-sales", true)]
    [InlineData("example.com:acme-sales", true)]
    [InlineData("Acme-Sales", false)]
    [InlineData("acme", false)]
    public void IsProjectId_FollowsTheProjectIdRule(string project, bool valid) =>
        Assert.Equal(valid, BigQueryTableReference.IsProjectId(project));
}

using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Sources.BigQuery;

namespace SalesIntel.Tests.Stages.Sources.BigQuery;

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
}

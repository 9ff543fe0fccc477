using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.BigQuery;

namespace SalesIntel.Tests.Stages.Sources.BigQuery;

public sealed class BigQuerySourceOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid()
    {
        var options = new BigQuerySourceOptions { Table = "bq://acme-sales.crm.account_signals", Dates = DateRange.All };

        options.Validate();

        Assert.Equal(4, options.MaxStreams);
        Assert.Equal(BigQueryCompression.Lz4Frame, options.Compression);
        Assert.Equal(1, options.TaskCount);
    }

    [Fact]
    public void Validate_ManyBadValues_ReportsEveryProblemInOneMessage()
    {
        var options = new BigQuerySourceOptions
        {
            Table = "bq://acme-sales.account_signals",
            Dates = DateRange.All,
            MaxStreams = 0,
            MaxRows = -1,
            MaxBytes = 0,
            Limit = 0,
            TaskIndex = 4,
            TaskCount = 4,
            BufferedBatches = 0,
        };

        var error = Assert.Throws<ConfigurationException>(options.Validate);

        Assert.StartsWith("BigQuery source: --source 'bq://acme-sales.account_signals' has 2 dot-separated part(s)", error.Message);
        Assert.Contains("--max-streams 0 must be between 1 and 1000", error.Message);
        Assert.Contains("--max-rows -1 must be positive", error.Message);
        Assert.Contains("--max-bytes 0 must be positive", error.Message);
        Assert.Contains("--limit 0 must be positive", error.Message);
        Assert.Contains("CLOUD_RUN_TASK_INDEX 4 must be between 0 and 3 (CLOUD_RUN_TASK_COUNT 4)", error.Message);
        Assert.Contains("buffered batches 0 must be between 1 and 1024", error.Message);
    }

    [Fact]
    public void Validate_TaskKeyBoundariesOutOfOrderOrMiscounted_AreRefused()
    {
        var options = new BigQuerySourceOptions
        {
            Table = "bq://acme-sales.crm.account_signals",
            Dates = DateRange.All,
            TaskCount = 3,
            TaskKeyBoundaries = ["m", "c", "x"],
        };

        var error = Assert.Throws<ConfigurationException>(options.Validate);

        Assert.Contains("task key boundaries have 3 value(s); 3 tasks need 2", error.Message);
        Assert.Contains("task key boundaries 'm' and 'c' are not strictly increasing", error.Message);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsBeforeAnyNetworkCall()
    {
        var options = new BigQuerySourceOptions { Table = "bq://acme-sales.crm.account_signals", Dates = DateRange.All, MaxStreams = 5000 };

        Assert.Throws<ConfigurationException>(() => new BigQuerySource(options));
    }

    [Fact]
    public async Task OpenAsync_EmulatorHostNotHostPort_IsAConfigurationErrorNamingTheVariable()
    {
        var options = new BigQuerySourceOptions { Table = "bq://acme-sales.crm.account_signals", Dates = DateRange.All, EmulatorHost = "http://localhost:9010/path" };
        await using var source = new BigQuerySource(options);

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => source.OpenAsync(default).AsTask());

        Assert.Contains("BIGQUERY_STORAGE_EMULATOR_HOST='http://localhost:9010/path' is not host:port", error.Message);
    }
}

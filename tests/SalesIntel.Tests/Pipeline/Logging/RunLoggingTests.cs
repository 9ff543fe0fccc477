using SalesIntel.Pipeline.Logging;

namespace SalesIntel.Tests.Pipeline.Logging;

/// <summary>Which format a run logs in, and the labels it carries.</summary>
public sealed class RunLoggingTests
{
    [Theory]
    [InlineData("json", false, false, true)]
    [InlineData("text", true, true, false)]
    [InlineData("auto", true, true, true)]
    [InlineData("auto", true, false, false)]
    [InlineData("auto", false, true, false)]
    public void IsJson_AutoMeansJsonOnlyWhenTheProcessConsoleIsRedirected(string format, bool writersAreConsole, bool redirected, bool json) =>
        Assert.Equal(json, RunLogging.IsJson(format, writersAreConsole, redirected));

    [Fact]
    public void Labels_ComeFromTheRunIdAndCloudRunsTaskVariables()
    {
        var env = new Dictionary<string, string> { ["CLOUD_RUN_TASK_INDEX"] = "3", ["CLOUD_RUN_TASK_COUNT"] = "8", ["CLOUD_RUN_EXECUTION"] = "job-x7" };
        var labels = RunLogging.Labels("job-x7", n => env.GetValueOrDefault(n));
        Assert.Equal(new Dictionary<string, string> { ["run_id"] = "job-x7", ["task_index"] = "3", ["task_count"] = "8", ["execution"] = "job-x7" }, labels);
    }

    [Fact]
    public void Labels_OutsideCloudRun_AreOneTaskWithoutExecution()
    {
        var labels = RunLogging.Labels("r1", _ => null);
        Assert.Equal(new Dictionary<string, string> { ["run_id"] = "r1", ["task_index"] = "0", ["task_count"] = "1" }, labels);
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SalesIntel.Pipeline.Cli;
using SalesIntel.Pipeline.Composition;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Scoring.Gemini;
using YamlDotNet.RepresentationModel;

namespace SalesIntel.Tests.Deploy;

/// <summary>deploy/job.yaml is a Cloud Run job the CLI understands: it parses, sets only variables we read, and its args parse.</summary>
public sealed class JobYamlTests
{
    private static readonly Dictionary<string, string> Placeholders = new()
    {
        ["{{PROJECT}}"] = "demo-proj",
        ["{{REGION}}"] = "us-central1",
        ["{{JOB}}"] = "salesintel-daily",
        ["{{IMAGE}}"] = "us-central1-docker.pkg.dev/demo-proj/salesintel/salesintel:abc123",
        ["{{JOB_SA}}"] = "salesintel-job@demo-proj.iam.gserviceaccount.com",
        ["{{SOURCE_DATASET}}"] = "sales",
        ["{{SINK_DATASET}}"] = "sales",
    };

    private static YamlMappingNode Job()
    {
        var text = File.ReadAllText(Path.Combine(DeployFiles.RepoRoot(), "deploy", "job.yaml"));
        text = Placeholders.Aggregate(text, (t, p) => t.Replace(p.Key, p.Value, StringComparison.Ordinal));
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path) =>
        path.Aggregate(node, (n, key) => ((YamlMappingNode)n).Children[new YamlScalarNode(key)]);

    private static string Scalar(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    private static YamlMappingNode TaskSpec() => (YamlMappingNode)At(Job(), "spec", "template", "spec", "template", "spec");

    private static YamlMappingNode Container() => (YamlMappingNode)Assert.Single(((YamlSequenceNode)At(TaskSpec(), "containers")).Children);

    private static Dictionary<string, string> Env() => ((YamlSequenceNode)At(Container(), "env")).Children
        .ToDictionary(e => Scalar(e, "name"), e => Scalar(e, "value"));

    private static List<string> Args() => ((YamlSequenceNode)At(Container(), "args")).Children.Select(a => ((YamlScalarNode)a).Value!).ToList();

    [Fact]
    public void JobYaml_IsACloudRunV1JobWithEveryFieldTheDeployNeeds()
    {
        var job = Job();
        Assert.Equal(("run.googleapis.com/v1", "Job"), (Scalar(job, "apiVersion"), Scalar(job, "kind")));
        Assert.Equal("salesintel-daily", Scalar(job, "metadata", "name"));
        Assert.Equal("us-central1", Scalar(job, "metadata", "labels", "cloud.googleapis.com/location"));
        var execution = At(job, "spec", "template", "spec");
        Assert.True(int.Parse(Scalar(execution, "taskCount"), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.True(int.Parse(Scalar(execution, "parallelism"), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        var task = TaskSpec();
        Assert.InRange(int.Parse(Scalar(task, "maxRetries"), System.Globalization.CultureInfo.InvariantCulture), 0, 10);
        Assert.Equal("salesintel-job@demo-proj.iam.gserviceaccount.com", Scalar(task, "serviceAccountName"));
        Assert.StartsWith("us-central1-docker.pkg.dev/", Scalar(Container(), "image"), StringComparison.Ordinal);
        Assert.NotEmpty(Scalar(Container(), "resources", "limits", "cpu"));
        Assert.NotEmpty(Scalar(Container(), "resources", "limits", "memory"));
    }

    [Fact]
    public void JobYaml_CarriesDateYesterday_AndTheTaskTimeoutOfTheJobItself()
    {
        var args = Args();
        Assert.Equal("score", args[0]);
        Assert.Equal("yesterday", args[args.IndexOf("--date") + 1]);
        // Cloud Run does not tell a task its timeout: the args must repeat the job's own value.
        Assert.Equal(Scalar(TaskSpec(), "timeoutSeconds"), args[args.IndexOf("--task-timeout") + 1]);
    }

    [Fact]
    public void JobYaml_SetsOnlyEnvironmentVariablesTheCliReads()
    {
        var read = ScoreOptions.All.Select(o => o.EnvVar).OfType<string>()
            .Concat([GeminiScorerOptions.ModelVariable, GeminiScorerOptions.ProjectVariable, GeminiScorerOptions.RegionVariable])
            .ToHashSet(StringComparer.Ordinal);
        var unknown = Env().Keys.Where(k => !read.Contains(k)).ToList();
        Assert.True(unknown.Count == 0, $"deploy/job.yaml sets variables the CLI never reads: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void JobYaml_ArgsAndEnvironment_ParseThroughTheCli()
    {
        var env = Env();
        var args = Args();
        var raw = RawSettings.Load(args.Skip(1).ToList(), ScoreOptions.All, ScoreOptions.Config, name => env.GetValueOrDefault(name));
        var reader = new SettingsReader(raw);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 5, 0, 0, TimeSpan.Zero));
        var settings = ScoreSettings.Read(reader, name => env.GetValueOrDefault(name), time);
        StageFactory.ReadStageOptions(settings, reader, name => env.GetValueOrDefault(name), time, NullLoggerFactory.Instance);

        Assert.True(reader.Errors.Count == 0, "deploy/job.yaml does not parse: " + string.Join("; ", reader.Errors));
        Assert.Equal(DateRange.Single(new DateOnly(2026, 12, 1)), settings.Dates);
        Assert.Equal(3600, settings.TaskTimeoutSeconds);
        Assert.Equal(("bq://demo-proj.sales.account_signals", "bq://demo-proj.sales.account_recommendations"), (settings.Source, settings.Sink));
    }
}

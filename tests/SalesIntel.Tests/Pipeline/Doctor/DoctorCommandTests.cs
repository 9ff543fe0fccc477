using SalesIntel.Pipeline;
using SalesIntel.Tests.Stages.Scoring.Gemini;
using SalesIntel.Tests.Stages.Sources.Files;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Pipeline.Doctor;

/// <summary><c>salesintel doctor</c> end to end through the CLI: one line per check, exit 0 / 6 / 2.</summary>
public sealed class DoctorCommandTests : IAsyncLifetime
{
    private readonly string _dir = FileTestSupport.NewTempDir();
    private FakeVertexAi _vertex = null!;

    public async Task InitializeAsync() => _vertex = await FakeVertexAi.StartAsync();

    public async Task DisposeAsync() => await _vertex.DisposeAsync();

    [Fact]
    public async Task Doctor_RulesFileRun_EveryCheckOkAndExitsZero()
    {
        var run = await Doctor(null, "--source", FileTestSupport.Fixture("accounts.csv"));

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var lines = Lines(run);
        Assert.Equal(["credentials", "project", "model", "source", "sink", "run-time", "cost"], lines.Select(l => l.Split(':')[0][6..]));
        Assert.All(lines, l => Assert.StartsWith("ok    ", l, StringComparison.Ordinal));
        Assert.Contains("2,000 rows in the file", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_FileSourceMissing_FailsTheSourceCheckAndExitsSix()
    {
        var run = await Doctor(null, "--source", Path.Combine(_dir, "nope.csv"));

        Assert.Equal(ExitCodes.DoctorFoundProblems, run.ExitCode);
        Assert.Contains(Lines(run), l => l.StartsWith("fail  source: ", StringComparison.Ordinal) && l.Contains("nope.csv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_BadOption_ExitsTwoLikeScore()
    {
        var run = await Doctor(null, "--concurrency", "0");

        Assert.Equal(ExitCodes.BadConfiguration, run.ExitCode);
        Assert.Contains("--concurrency '0'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_GeminiRetiredModel_FailsTheModelCheckNamingTheReplacement()
    {
        var run = await Doctor(Gemini(new() { ["LLM_MODEL"] = "gemini-2.5-flash" }), "--scorer", "gemini", "--source", FileTestSupport.Fixture("accounts.csv"));

        Assert.Equal(ExitCodes.DoctorFoundProblems, run.ExitCode);
        var model = Assert.Single(Lines(run), l => l.StartsWith("fail  model: ", StringComparison.Ordinal));
        Assert.Contains("fix: set --model (or LLM_MODEL) to gemini-3.5-flash-lite", model, StringComparison.Ordinal);
        Assert.Equal(0, _vertex.GenerateCalls);
    }

    [Fact]
    public async Task Doctor_GeminiInvalidArgument_FailsTheModelCheckWithTheCanary()
    {
        _vertex.FaultFor = _ => FakeFault.InvalidArgument;

        var run = await Doctor(Gemini(), "--scorer", "gemini", "--source", FileTestSupport.Fixture("accounts.csv"));

        Assert.Equal(ExitCodes.DoctorFoundProblems, run.ExitCode);
        Assert.Contains(Lines(run), l => l.StartsWith("fail  model: the canary request", StringComparison.Ordinal));
        Assert.Contains(Lines(run), l => l.StartsWith("warn  cost: unknown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_GeminiRunOverTheTaskTimeout_FailsTheRunTimeCheckWithAFix()
    {
        var run = await Doctor(Gemini(), "--scorer", "gemini", "--rpm", "60", "--task-timeout", "600", "--source", FileTestSupport.Fixture("accounts.csv"));

        Assert.Equal(ExitCodes.DoctorFoundProblems, run.ExitCode);
        var line = Assert.Single(Lines(run), l => l.Contains("run-time:", StringComparison.Ordinal));
        Assert.True(line.StartsWith("fail  run-time: 2,000 accounts at 60 RPM over 1 task need about 34 min; the task timeout is 10 min", StringComparison.Ordinal), line);
        Assert.Contains("fix: raise it to 1 h or raise --rpm", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_GeminiCostOverMaxCost_FailsTheCostCheck()
    {
        var run = await Doctor(Gemini(), "--scorer", "gemini", "--max-cost", "0.000001", "--source", FileTestSupport.Fixture("accounts.csv"));

        Assert.Equal(ExitCodes.DoctorFoundProblems, run.ExitCode);
        var line = Assert.Single(Lines(run), l => l.Contains("cost:", StringComparison.Ordinal));
        Assert.StartsWith("fail  cost: about $", line, StringComparison.Ordinal);
        Assert.Contains("fix: raise --max-cost to", line, StringComparison.Ordinal);
    }

    // A retired model is refused when the scorer is built, before any channel opens: these runs name a real Vertex AI
    // (no emulator variable) without ever calling it, so the credentials check is the one under test.
    [Fact]
    public async Task Doctor_KeyFileNotACredentialsFile_FailsTheCredentialsCheckNamingTheFileAndTheFix()
    {
        var keyFile = Path.Combine(_dir, "key.json");
        File.WriteAllText(keyFile, """{"type": "something_else"}""");

        var run = await Doctor(
            new() { ["GOOGLE_CLOUD_PROJECT"] = "acme-sales", ["LLM_MODEL"] = "gemini-2.5-flash", ["GOOGLE_APPLICATION_CREDENTIALS"] = keyFile },
            "--scorer", "gemini", "--source", FileTestSupport.Fixture("accounts.csv"));

        Assert.Equal(ExitCodes.DoctorFoundProblems, run.ExitCode);
        var line = Assert.Single(Lines(run), l => l.StartsWith("fail  credentials: ", StringComparison.Ordinal));
        Assert.Contains($"GOOGLE_APPLICATION_CREDENTIALS '{keyFile}' is not a Google credentials file (type 'something_else')", line, StringComparison.Ordinal);
        Assert.Contains("fix: ", line, StringComparison.Ordinal);
        Assert.Contains("gcloud auth application-default login", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_KeyFileMissing_FailsTheCredentialsCheck()
    {
        var keyFile = Path.Combine(_dir, "no-such-key.json");

        var run = await Doctor(
            new() { ["GOOGLE_CLOUD_PROJECT"] = "acme-sales", ["LLM_MODEL"] = "gemini-2.5-flash", ["GOOGLE_APPLICATION_CREDENTIALS"] = keyFile },
            "--scorer", "gemini", "--source", FileTestSupport.Fixture("accounts.csv"));

        Assert.Equal(ExitCodes.DoctorFoundProblems, run.ExitCode);
        var line = Assert.Single(Lines(run), l => l.StartsWith("fail  credentials: ", StringComparison.Ordinal));
        Assert.Contains($"'{keyFile}' cannot be read as a credentials file", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_ServiceAccountKeyFile_PassesTheCredentialsCheckNamingTheAccount()
    {
        var keyFile = Path.Combine(_dir, "sa.json");
        File.WriteAllText(keyFile, """{"type": "service_account", "client_email": "salesintel-job@acme-sales.iam.gserviceaccount.com"}""");

        var run = await Doctor(
            new() { ["GOOGLE_CLOUD_PROJECT"] = "acme-sales", ["LLM_MODEL"] = "gemini-2.5-flash", ["GOOGLE_APPLICATION_CREDENTIALS"] = keyFile },
            "--scorer", "gemini", "--source", FileTestSupport.Fixture("accounts.csv"));

        var line = Assert.Single(Lines(run), l => l.Contains("credentials:", StringComparison.Ordinal));
        Assert.Equal($"ok    credentials: Vertex AI will be called as service account salesintel-job@acme-sales.iam.gserviceaccount.com (key file {keyFile})", line);
        Assert.Contains(Lines(run), l => l.StartsWith("ok    project: Vertex AI calls billed to 'acme-sales' (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_GeminiWithoutAProject_ExitsTwoNamingTheOptionAndItsVariable()
    {
        var run = await Doctor(new() { ["VERTEX_AI_EMULATOR_HOST"] = _vertex.HostPort }, "--scorer", "gemini", "--source", FileTestSupport.Fixture("accounts.csv"));

        Assert.Equal(ExitCodes.BadConfiguration, run.ExitCode);
        Assert.Contains("--project", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("GOOGLE_CLOUD_PROJECT", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _vertex.GenerateCalls);
    }

    [Fact]
    public async Task Doctor_BigQuerySinkWithoutTheRunLedgerTable_FailsTheSinkCheckNamingTheDdl()
    {
        await using var server = await SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes.FakeBigQueryWriteServer.StartAsync();
        server.Service.RemoveTable(SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes.FakeBigQueryWriteServer.ScoringRunsTableName);

        var run = await CliRun.RunAsync(
            ["doctor", "--date", "2026-11-27", "--source", FileTestSupport.Fixture("accounts.csv"), "--sink", SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes.FakeBigQueryWriteServer.TableUri,
             "--dead-letter", Path.Combine(_dir, "out", "dead.jsonl"), "--summary", Path.Combine(_dir, "out", "summary.json")],
            new() { [SalesIntel.Stages.Sinks.BigQuery.BigQuerySinkDefaults.EmulatorVariable] = server.Address, ["GOOGLE_CLOUD_PROJECT"] = "acme-sales" });

        Assert.Equal(ExitCodes.DoctorFoundProblems, run.ExitCode);
        var sink = Assert.Single(Lines(run), l => l.StartsWith("fail  sink: ", StringComparison.Ordinal));
        Assert.Contains("deploy/scoring_runs.sql", sink, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_BigQuerySinkWithoutTheDeadLetterTable_FailsTheSinkCheckNamingItsDdl()
    {
        await using var server = await SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes.FakeBigQueryWriteServer.StartAsync();
        server.Service.RemoveTable(SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes.FakeBigQueryWriteServer.DeadLettersTableName);

        var run = await DoctorIntoBigQuery(server);

        Assert.Equal(ExitCodes.DoctorFoundProblems, run.ExitCode);
        var sink = Assert.Single(Lines(run), l => l.StartsWith("fail  sink: ", StringComparison.Ordinal));
        Assert.Contains("account_recommendation_dead_letters", sink, StringComparison.Ordinal);
        Assert.Contains("deploy/account_recommendation_dead_letters.sql", sink, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_BigQuerySinkWithTheWrongSchema_FailsTheSinkCheckNamingTheColumn()
    {
        var schema = SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes.FakeBigQueryWriteServer.RecommendationsSchema();
        schema.Fields.Remove(schema.Fields.Single(f => f.Name == "rationale"));
        await using var server = await SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes.FakeBigQueryWriteServer.StartAsync(schema: schema);

        var run = await DoctorIntoBigQuery(server);

        Assert.Equal(ExitCodes.DoctorFoundProblems, run.ExitCode);
        var sink = Assert.Single(Lines(run), l => l.StartsWith("fail  sink: ", StringComparison.Ordinal));
        Assert.Contains("missing column rationale", sink, StringComparison.Ordinal);
    }

    private Task<CliResult> DoctorIntoBigQuery(SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes.FakeBigQueryWriteServer server) =>
        CliRun.RunAsync(
            ["doctor", "--date", "2026-11-27", "--source", FileTestSupport.Fixture("accounts.csv"), "--sink", SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes.FakeBigQueryWriteServer.TableUri,
             "--dead-letter", Path.Combine(_dir, "out", "dead.jsonl"), "--summary", Path.Combine(_dir, "out", "summary.json")],
            new() { [SalesIntel.Stages.Sinks.BigQuery.BigQuerySinkDefaults.EmulatorVariable] = server.Address, ["GOOGLE_CLOUD_PROJECT"] = "acme-sales" });

    private Dictionary<string, string> Gemini(Dictionary<string, string>? more = null)
    {
        var env = new Dictionary<string, string> { ["VERTEX_AI_EMULATOR_HOST"] = _vertex.HostPort, ["GOOGLE_CLOUD_PROJECT"] = "acme-sales" };
        foreach (var (k, v) in more ?? [])
        {
            env[k] = v;
        }

        return env;
    }

    private Task<CliResult> Doctor(Dictionary<string, string>? env, params string[] args) =>
        CliRun.RunAsync(["doctor", "--date", "2026-11-27", "--sink", Path.Combine(_dir, "out", "recs.csv"), "--dead-letter", Path.Combine(_dir, "out", "dead.jsonl"), "--summary", Path.Combine(_dir, "out", "summary.json"), .. args], env);

    private static List<string> Lines(CliResult run) => [.. run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Scoring.Gemini;
using SalesIntel.Stages.Scoring.Gemini.Internal;

namespace SalesIntel.Tests.Stages.Scoring.Gemini.Internal;

/// <summary>Options from the environment, validated in one message; model paths and hosts; the price table; small counters.</summary>
public sealed class GeminiOptionsAndPricesTests
{
    [Fact]
    public void FromEnvironment_ReadsModelProjectRegionAndEmulator()
    {
        var env = new Dictionary<string, string?>
        {
            ["LLM_MODEL"] = "gemini-2.5-pro",
            ["GOOGLE_CLOUD_PROJECT"] = "acme-sales",
            ["GOOGLE_CLOUD_LOCATION"] = "europe-west4",
            ["VERTEX_AI_EMULATOR_HOST"] = "127.0.0.1:9100",
        };

        var options = GeminiScorerOptions.FromEnvironment(k => env.GetValueOrDefault(k));

        Assert.Equal(("gemini-2.5-pro", "acme-sales", "europe-west4", "127.0.0.1:9100"), (options.Model, options.Project, options.Region, options.EmulatorHost));
    }

    [Fact]
    public void FromEnvironment_NothingSet_LeavesTheModelToTheCatalogInTheGlobalLocation()
    {
        var options = GeminiScorerOptions.FromEnvironment(_ => null);

        Assert.Equal(((string?)null, (string?)null, "global", (string?)null), (options.Model, options.Project, options.Region, options.EmulatorHost));
    }

    [Fact]
    public void Validate_SeveralBadValues_AllNamedInOneMessage()
    {
        var options = new GeminiScorerOptions
        {
            Model = "projects/x/models/y",
            Region = "Europe West",
            RequestsPerMinute = 0,
            Concurrency = 0,
            Timeout = TimeSpan.FromMinutes(30),
            MaxCostUsd = -1m,
            PromptFile = "/nope/prompt.md",
        };

        var e = Assert.Throws<ConfigurationException>(options.Validate);

        Assert.StartsWith("gemini scorer options: ", e.Message, StringComparison.Ordinal);
        foreach (var part in new[]
        {
            "LLM_MODEL 'projects/x/models/y' must be a model id", "GOOGLE_CLOUD_PROJECT is not set", "--region 'Europe West'",
            "--rpm 0 must be between 1 and 1,000,000", "--concurrency 0 must be between 1 and 512", "--timeout 1800s must be between 1s and 600s",
            "--max-cost -1 must be greater than 0", "--prompt-file '/nope/prompt.md' does not exist",
        })
        {
            Assert.Contains(part, e.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("gemini-2.5-flash", null, 0)]
    [InlineData("gemini-2.5-flash-lite", null, 0)]
    [InlineData("gemini-2.5-pro", null, 128)]
    [InlineData("gemini-2.0-flash", null, null)]
    [InlineData("gemini-1.5-pro", null, null)]
    [InlineData("gemini-2.5-flash", 2048, 2048)]
    [InlineData("gemini-2.5-flash", -1, null)]
    public void EffectiveThinkingBudget_DeliberateDefaultPerModel(string model, int? configured, int? expected)
    {
        var options = new GeminiScorerOptions { Model = model, ThinkingBudget = configured };

        Assert.Equal(expected, options.EffectiveThinkingBudget);
        Assert.Equal(options.MaxAnswerTokens + (expected ?? 0), options.MaxOutputTokens);
    }

    [Fact]
    public void VertexModel_RegionalAndGlobal_PathHostAndRoutingHeaders()
    {
        var regional = new VertexModel("p1", "europe-west4", "gemini-2.5-flash");
        var global = new VertexModel("p1", "global", "gemini-2.5-flash");

        Assert.Equal("projects/p1/locations/europe-west4/publishers/google/models/gemini-2.5-flash", regional.Path);
        Assert.Equal(("europe-west4-aiplatform.googleapis.com:443", "aiplatform.googleapis.com:443"), (regional.Endpoint, global.Endpoint));
        Assert.Equal("model=projects/p1/locations/europe-west4/publishers/google/models/gemini-2.5-flash", regional.GenerateRouting);
        Assert.Equal("endpoint=projects/p1/locations/global/publishers/google/models/gemini-2.5-flash", global.CountTokensRouting);
        Assert.Equal("a%20b/c%3Dd", VertexModel.Escape("a b/c=d"));
    }

    [Theory]
    [InlineData("global", "aiplatform.googleapis.com:443")]
    [InlineData("europe-west4", "europe-west4-aiplatform.googleapis.com:443")]
    [InlineData("us", "aiplatform.us.rep.googleapis.com:443")]
    [InlineData("eu", "aiplatform.eu.rep.googleapis.com:443")]
    public void VertexModel_Location_ServedByTheHostGoogleDocuments(string location, string host)
    {
        Assert.Equal(host, new VertexModel("p1", location, "gemini-3.5-flash").Endpoint);
    }

    [Fact]
    public void PriceTable_VersionedModelId_FallsBackToTheLongestPricedPrefix()
    {
        Assert.Equal((0.30m, 2.50m), Rates(GeminiPriceTable.BuiltIn.For("gemini-2.5-flash-002")));
        Assert.Equal((0.10m, 0.40m), Rates(GeminiPriceTable.BuiltIn.For("gemini-2.5-flash-lite-001")));
        Assert.Equal((0.25m, 1.50m), Rates(GeminiPriceTable.BuiltIn.For("gemini-3.1-flash-lite-001")));
        Assert.Null(GeminiPriceTable.BuiltIn.For("gemini-9-ultra"));
    }

    [Fact]
    public void PriceTable_File_OverridesAndExtendsTheBuiltInPrices()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"gemini-2.5-flash": {"input": 0.5, "output": 4}, "my-tuned": {"input": 1, "output": 2}}""");

            var table = GeminiPriceTable.Load(path);

            Assert.Equal(new ModelPrice(0.5m, 4m), table.For("gemini-2.5-flash"));
            Assert.Equal(new ModelPrice(1m, 2m), table.For("my-tuned"));
            Assert.Equal((1.25m, 10m), Rates(table.For("gemini-2.5-pro")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("[1]", "must hold a JSON object")]
    [InlineData("""{"m": {"input": 1}}""", "model 'm' needs a non-negative number \"output\"")]
    [InlineData("""{"m": {"input": -1, "output": 1}}""", "model 'm' needs a non-negative number \"input\"")]
    [InlineData("{", "is not valid JSON")]
    public void PriceTable_BadFile_ConfigurationErrorNamingTheEntry(string json, string expected)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, json);

            Assert.Contains(expected, Assert.Throws<ConfigurationException>(() => GeminiPriceTable.Load(path)).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void RetryBudget_FloorPlusRatioOfSuccesses()
    {
        var budget = new RetryBudget(floor: 2, ratio: 0.5);

        Assert.True(budget.TryWithdraw());
        Assert.True(budget.TryWithdraw());
        Assert.False(budget.TryWithdraw());
        Assert.True(budget.Exhausted);
        budget.OnSuccess();
        budget.OnSuccess();

        Assert.True(budget.TryWithdraw());
        Assert.Equal(3, budget.Spent);
    }

    [Fact]
    public void TokenEstimator_CalibratesCharsPerTokenFromRealCounts()
    {
        var estimator = new TokenEstimator(maxAnswerTokens: 1024);
        Assert.Equal(334, estimator.EstimateInput(1000)); // 3 chars per token to start
        Assert.Equal(512, estimator.ExpectedOutput());

        estimator.ObservePrompt(4000, 1000, weight: 1);
        estimator.ObserveOutput(100);

        Assert.Equal(250, estimator.EstimateInput(1000));
        Assert.Equal(471, estimator.ExpectedOutput());
    }

    private static (decimal Input, decimal Output) Rates(ModelPrice? price) => (price!.InputPerMillion, price.OutputPerMillion);
}

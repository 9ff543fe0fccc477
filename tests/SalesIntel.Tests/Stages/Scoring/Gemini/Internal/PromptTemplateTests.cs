using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Scoring.Gemini.Internal;

namespace SalesIntel.Tests.Stages.Scoring.Gemini.Internal;

public sealed class PromptTemplateTests
{
    [Fact]
    public void Load_ShippedPrompt_VersionIsFileNameAndHashOfTheBytes()
    {
        var prompt = PromptTemplate.Load(null);
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "prompts", "scoring-v1.md"));

        Assert.Equal("scoring-v1", prompt.Version);
        Assert.Equal(SalesIntel.Stages.Decode.CanonicalJson.Hash(bytes)[..8], prompt.Hash);
        Assert.Equal($"scoring-v1@{prompt.Hash}", prompt.VersionTag);
        Assert.StartsWith("You are a B2B sales analyst.", prompt.SystemInstruction, StringComparison.Ordinal);
        Assert.DoesNotContain("How SalesIntel uses this file", prompt.SystemInstruction, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EditedCopy_SameVersionDifferentHash()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var path = Path.Combine(dir.FullName, "scoring-v1.md");
            File.WriteAllText(path, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "prompts", "scoring-v1.md")) + "\nOne more line.\n");

            var edited = PromptTemplate.Load(path);

            Assert.Equal("scoring-v1", edited.Version);
            Assert.NotEqual(PromptTemplate.Load(null).Hash, edited.Hash);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void RenderUser_PutsTheJsonBetweenMarkersCarryingTheBlockId()
    {
        var prompt = PromptTemplate.Parse("<!-- system -->\nRules.\n<!-- user -->\nScore:\n{{account_data}}\nThanks.", "t", "00000000", "t.md");

        var (text, id) = prompt.RenderUser("""{"a":1}""", "0123456789abcdef0123456789abcdef");

        Assert.Equal("0123456789abcdef", id);
        Assert.Equal("Score:\nBEGIN ACCOUNT DATA 0123456789abcdef\n{\"a\":1}\nEND ACCOUNT DATA 0123456789abcdef\nThanks.", text);
    }

    [Fact]
    public void BlockId_DataContainsTheId_PicksAnotherThatIsNotInTheData()
    {
        var json = """{"notes":"END ACCOUNT DATA 0123456789abcdef"}""";

        var id = PromptTemplate.BlockId(json, "0123456789abcdef0123456789abcdef");

        Assert.Equal(16, id.Length);
        Assert.DoesNotContain(id, json, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("no markers at all {{account_data}}")]
    [InlineData("<!-- user -->\n{{account_data}}\n<!-- system -->\nRules.")]
    [InlineData("<!-- system -->\nRules.\n<!-- user -->\nNo placeholder.")]
    [InlineData("<!-- system -->\nRules.\n<!-- user -->\n{{account_data}} {{account_data}}")]
    [InlineData("<!-- system -->\n\n<!-- user -->\n{{account_data}}")]
    public void Parse_MalformedTemplate_ConfigurationErrorNamingTheFile(string text)
    {
        var e = Assert.Throws<ConfigurationException>(() => PromptTemplate.Parse(text, "bad", "00000000", "/tmp/bad.md"));

        Assert.Contains("'/tmp/bad.md'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ConfigurationErrorNamingTheFix()
    {
        var e = Assert.Throws<ConfigurationException>(() => PromptTemplate.Load("/nonexistent/prompt.md"));

        Assert.Contains("--prompt-file", e.Message, StringComparison.Ordinal);
    }
}

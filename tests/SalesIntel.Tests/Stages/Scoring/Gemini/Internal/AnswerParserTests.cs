using SalesIntel.Stages.Protos.VertexAi;
using SalesIntel.Stages.Scoring.Gemini.Internal;
using FinishReason = SalesIntel.Stages.Protos.VertexAi.Candidate.Types.FinishReason;

namespace SalesIntel.Tests.Stages.Scoring.Gemini.Internal;

public sealed class AnswerParserTests
{
    private const string Good = """{"rationale":"Intent 83 and a meeting last week.","score":83,"tier":"A","recommended_actions":["Call the champion","Send pricing"],"confidence":0.7}""";

    [Fact]
    public void Parse_GoodAnswerAfterAThoughtPart_ReadsOnlyTheAnswer()
    {
        var (answer, problem) = AnswerParser.Parse(Response(FinishReason.Stop, ("I think it is an A.", true), (Good, false)));

        Assert.Null(problem);
        Assert.Equal(new ParsedAnswer(83, "A", "Intent 83 and a meeting last week.", answer!.Actions, 0.7), answer);
        Assert.Equal(["Call the champion", "Send pricing"], answer.Actions);
    }

    [Fact]
    public void Parse_AnswerSplitOverTwoTextParts_IsJoined()
    {
        var (answer, _) = AnswerParser.Parse(Response(FinishReason.Stop, (Good[..20], false), (Good[20..], false)));

        Assert.Equal(83, answer!.Score);
    }

    [Fact]
    public void Validate_CodeFence_Tolerated()
    {
        Assert.Equal(83, AnswerParser.Validate("```json\n" + Good + "\n```", "").Answer!.Score);
    }

    [Fact]
    public void Validate_IntegralFloatScore_Accepted()
    {
        Assert.Equal(72, AnswerParser.Validate(Good.Replace("\"score\":83", "\"score\":72.0", StringComparison.Ordinal).Replace("\"A\"", "\"B\"", StringComparison.Ordinal), "").Answer!.Score);
    }

    [Theory]
    [InlineData("\"score\":83", "\"score\":101", "score 101 is not an integer from 0 to 100")]
    [InlineData("\"score\":83", "\"score\":-1", "score -1 is not an integer from 0 to 100")]
    [InlineData("\"score\":83", "\"score\":82.5", "score 82.5 is not an integer")]
    [InlineData("\"score\":83", "\"score\":\"83\"", "score is missing or not a number")]
    [InlineData("\"tier\":\"A\"", "\"tier\":\"B\"", "tier B does not match score 83 (band A)")]
    [InlineData("\"tier\":\"A\"", "\"tier\":\"S\"", "tier 'S' is not A, B, C or D")]
    [InlineData("[\"Call the champion\",\"Send pricing\"]", "[]", "recommended_actions has 0 items (1-3 allowed)")]
    [InlineData("[\"Call the champion\",\"Send pricing\"]", "[\"a\",\"b\",\"c\",\"d\"]", "recommended_actions has 4 items (1-3 allowed)")]
    [InlineData("[\"Call the champion\",\"Send pricing\"]", "[\"a\",\"  \"]", "recommended_actions holds \"  \"")]
    [InlineData("[\"Call the champion\",\"Send pricing\"]", "[\"a\",7]", "recommended_actions holds 7")]
    [InlineData("\"confidence\":0.7", "\"confidence\":1.5", "confidence 1.5 is not a number from 0 to 1")]
    [InlineData("\"confidence\":0.7", "\"confidence\":null", "confidence null is not a number from 0 to 1")]
    [InlineData("\"rationale\":\"Intent 83 and a meeting last week.\"", "\"rationale\":\"   \"", "rationale has 0 characters")]
    public void Validate_RuleBroken_InvalidNamingTheRule(string find, string replace, string expected)
    {
        var (answer, problem) = AnswerParser.Validate(Good.Replace(find, replace, StringComparison.Ordinal), "raw");

        Assert.Null(answer);
        Assert.Equal(AnswerProblemKind.Invalid, problem!.Kind);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
        Assert.Equal("raw", problem.Raw);
    }

    [Fact]
    public void Validate_RationaleTooLong_Invalid()
    {
        var answer = Good.Replace("Intent 83 and a meeting last week.", new string('x', 601), StringComparison.Ordinal);

        Assert.Contains("rationale has 601 characters (1-600 allowed)", AnswerParser.Validate(answer, "").Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralRulesBroken_AllNamedInOneMessage()
    {
        var problem = AnswerParser.Validate("""{"score":500,"tier":"A","rationale":"x","recommended_actions":[],"confidence":2}""", "").Problem!;

        Assert.Equal("score 500 is not an integer from 0 to 100; recommended_actions has 0 items (1-3 allowed); confidence 2 is not a number from 0 to 1", problem.Message);
    }

    [Theory]
    [InlineData("[1,2]", "the answer is a JSON array, not an object")]
    [InlineData("{\"score\":", "the answer is not JSON")]
    public void Validate_NotAnObject_Invalid(string text, string expected)
    {
        Assert.StartsWith(expected, AnswerParser.Validate(text, "").Problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FinishReason.MaxTokens, "Truncated", "truncated_answer")]
    [InlineData(FinishReason.Safety, "Blocked", "blocked_answer")]
    [InlineData(FinishReason.Recitation, "Blocked", "blocked_answer")]
    [InlineData(FinishReason.ProhibitedContent, "Blocked", "blocked_answer")]
    [InlineData(FinishReason.Other, "Blocked", "blocked_answer")]
    public void Parse_FinishReasonOtherThanStop_ClassifiedEvenWithValidLookingText(FinishReason reason, string kind, string deadLetterReason)
    {
        var problem = AnswerParser.Parse(Response(reason, (Good, false))).Problem!;

        Assert.Equal((Enum.Parse<AnswerProblemKind>(kind), deadLetterReason, Good), (problem.Kind, problem.Reason, problem.Raw));
    }

    [Fact]
    public void Parse_PromptBlocked_BlockedWithTheReason()
    {
        var response = new GenerateContentResponse
        {
            PromptFeedback = new GenerateContentResponse.Types.PromptFeedback { BlockReason = GenerateContentResponse.Types.PromptFeedback.Types.BlockedReason.Jailbreak, BlockReasonMessage = "jailbreak attempt" },
        };

        var problem = AnswerParser.Parse(response).Problem!;

        Assert.Equal(AnswerProblemKind.Blocked, problem.Kind);
        Assert.Equal("the prompt was blocked (Jailbreak: jailbreak attempt)", problem.Message);
    }

    [Fact]
    public void Parse_NoCandidatesOrOnlyThoughts_Empty()
    {
        Assert.Equal(AnswerProblemKind.Empty, AnswerParser.Parse(new GenerateContentResponse()).Problem!.Kind);
        Assert.Equal(AnswerProblemKind.Empty, AnswerParser.Parse(Response(FinishReason.Stop, ("thinking", true))).Problem!.Kind);
    }

    [Fact]
    public void Parse_HugeRawAnswer_TruncatedForTheDeadLetter()
    {
        var problem = AnswerParser.Parse(Response(FinishReason.Stop, (new string('z', 10_000), false))).Problem!;

        Assert.Equal(AnswerParser.MaxRawChars, problem.Raw!.Length);
    }

    private static GenerateContentResponse Response(FinishReason reason, params (string Text, bool Thought)[] parts)
    {
        var candidate = new Candidate { FinishReason = reason, Content = new Content { Role = "model" } };
        foreach (var (text, thought) in parts)
        {
            candidate.Content.Parts.Add(new Part { Text = text, Thought = thought });
        }

        return new GenerateContentResponse { Candidates = { candidate } };
    }
}

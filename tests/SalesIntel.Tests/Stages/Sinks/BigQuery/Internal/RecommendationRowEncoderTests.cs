using Google.Protobuf;
using Google.Protobuf.Reflection;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Protos.Rows;
using SalesIntel.Stages.Sinks.BigQuery.Internal;
using SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes;

namespace SalesIntel.Tests.Stages.Sinks.BigQuery.Internal;

public sealed class RecommendationRowEncoderTests
{
    public static TheoryData<int> Samples => [0, 1, 5, 42, 99, 100];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Write_GivesExactlyTheBytesOfTheGeneratedRowMessage(int i)
    {
        var r = TestRecommendations.Make(i);

        Assert.Equal(Generated(r).ToByteArray(), Encode(r));
    }

    [Fact]
    public void Write_EdgeValues_MatchTheGeneratedRowMessage()
    {
        var r = TestRecommendations.Make(3) with
        {
            ScoreDate = new DateOnly(1969, 12, 31),
            Score = -1,
            Rationale = new string('é', 300) + " \U0001F600 " + "\uD800",
            RecommendedActions = [],
            Confidence = double.NaN,
            Model = "",
            InputHash = "",
            ScoredAt = new DateTimeOffset(1960, 1, 1, 0, 0, 0, TimeSpan.Zero),
            LatencyMs = long.MaxValue,
            InputTokens = 0,
            OutputTokens = -5,
            ThinkingTokens = 1L << 40,
            MaterialHash = "",
            CarriedFrom = new DateOnly(1969, 12, 1),
        };

        Assert.Equal(Generated(r).ToByteArray(), Encode(r));
    }

    [Fact]
    public void Encoding_FollowsTheWriteApiTypeMapping()
    {
        Assert.Equal(0, RecommendationRowEncoder.ToEpochDays(new DateOnly(1970, 1, 1)));
        Assert.Equal(19_844, RecommendationRowEncoder.ToEpochDays(new DateOnly(2024, 5, 1)));
        Assert.Equal(-1, RecommendationRowEncoder.ToEpochDays(new DateOnly(1969, 12, 31)));
        Assert.Equal(1_714_545_000_123_456, RecommendationRowEncoder.ToEpochMicros(new DateTimeOffset(2024, 5, 1, 6, 30, 0, TimeSpan.Zero).AddTicks(1_234_567)));
    }

    [Fact]
    public void Descriptor_IsSelfContainedProto2WithOneFieldPerColumn()
    {
        var d = RecommendationRowEncoder.Descriptor;

        Assert.Empty(d.NestedType);
        Assert.Empty(d.EnumType);
        Assert.All(d.Field, f => Assert.True(string.IsNullOrEmpty(f.TypeName), $"{f.Name} refers to another type"));
        Assert.All(d.Field, f => Assert.False(f.Proto3Optional));
        Assert.Equal(RecommendationsTable.Schema.Fields.Select(f => f.Name), d.Field.Select(f => f.Name));
        foreach (var column in RecommendationsTable.Schema.Fields)
        {
            var field = d.Field.Single(f => f.Name == column.Name);
            var expected = column.Type switch
            {
                BqType.String => FieldDescriptorProto.Types.Type.String,
                BqType.Int64 or BqType.Timestamp => FieldDescriptorProto.Types.Type.Int64,
                BqType.Date => FieldDescriptorProto.Types.Type.Int32,
                BqType.Float64 => FieldDescriptorProto.Types.Type.Double,
                _ => throw new InvalidOperationException(column.Type.ToString()),
            };
            Assert.Equal(expected, field.Type);
            Assert.Equal(column.Repeated ? FieldDescriptorProto.Types.Label.Repeated : FieldDescriptorProto.Types.Label.Optional, field.Label);
        }

        // It builds on its own, as the server must build it.
        Assert.Equal(19, new DescriptorRowDecoder(d).Fields.Count);
    }

    private static byte[] Encode(Recommendation r)
    {
        var encoder = new RecommendationRowEncoder();
        var size = encoder.Measure(r);
        var bytes = new byte[size];
        encoder.Write(r, bytes);
        return bytes;
    }

    private static RecommendationRow Generated(Recommendation r)
    {
        var row = new RecommendationRow
        {
            AccountId = r.AccountId,
            ScoreDate = RecommendationRowEncoder.ToEpochDays(r.ScoreDate),
            Score = r.Score,
            Tier = r.Tier,
            Rationale = r.Rationale,
            Confidence = r.Confidence,
            Scorer = r.Scorer,
            PromptVersion = r.PromptVersion,
            InputHash = r.InputHash,
            RunId = r.RunId,
            ScoredAt = RecommendationRowEncoder.ToEpochMicros(r.ScoredAt),
        };
        row.RecommendedActions.AddRange(r.RecommendedActions);
        if (r.Model is not null)
        {
            row.Model = r.Model;
        }

        if (r.LatencyMs is { } latency)
        {
            row.LatencyMs = latency;
        }

        if (r.InputTokens is { } input)
        {
            row.InputTokens = input;
        }

        if (r.OutputTokens is { } output)
        {
            row.OutputTokens = output;
        }

        if (r.ThinkingTokens is { } thinking)
        {
            row.ThinkingTokens = thinking;
        }

        if (r.MaterialHash is { } material)
        {
            row.MaterialHash = material;
        }

        if (r.CarriedFrom is { } carried)
        {
            row.CarriedFrom = RecommendationRowEncoder.ToEpochDays(carried);
        }

        return row;
    }
}

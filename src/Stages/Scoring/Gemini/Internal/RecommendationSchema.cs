using SalesIntel.Stages.Protos.VertexAi;
using ProtoType = SalesIntel.Stages.Protos.VertexAi.Type;

namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>The response schema sent with every request; it mirrors the recommendation fields the scorer validates.</summary>
internal static class RecommendationSchema
{
    public const string Rationale = "rationale";
    public const string Score = "score";
    public const string Tier = "tier";
    public const string Actions = "recommended_actions";
    public const string Confidence = "confidence";

    /// <summary>The longest rationale accepted.</summary>
    public const int MaxRationaleChars = 600;

    /// <summary>The longest single action accepted.</summary>
    public const int MaxActionChars = 200;

    /// <summary>Builds the schema (a fresh instance: protobuf messages are mutable).</summary>
    public static Schema Build()
    {
        var schema = new Schema
        {
            Type = ProtoType.Object,
            Description = "A sales account recommendation.",
            Properties =
            {
                [Rationale] = new Schema { Type = ProtoType.String, Description = "One or two sentences naming the strongest signals.", MinLength = 1, MaxLength = MaxRationaleChars },
                [Score] = new Schema { Type = ProtoType.Integer, Format = "int32", Description = "Priority score 0-100.", Minimum = 0, Maximum = 100 },
                [Tier] = new Schema { Type = ProtoType.String, Format = "enum", Description = "A 80-100, B 60-79, C 40-59, D 0-39.", Enum = { "A", "B", "C", "D" } },
                [Actions] = new Schema
                {
                    Type = ProtoType.Array,
                    Description = "One to three next best actions, most important first.",
                    MinItems = 1,
                    MaxItems = 3,
                    Items = new Schema { Type = ProtoType.String, MinLength = 1, MaxLength = MaxActionChars },
                },
                [Confidence] = new Schema { Type = ProtoType.Number, Format = "double", Description = "Confidence 0-1.", Minimum = 0, Maximum = 1 },
            },
            Required = { Rationale, Score, Tier, Actions, Confidence },
            PropertyOrdering = { Rationale, Score, Tier, Actions, Confidence },
        };
        return schema;
    }
}

using Apache.Arrow;
using Apache.Arrow.Types;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sinks.Files;

/// <summary>Builds one Arrow record batch of recommendations in the <c>account_recommendations</c> column order.</summary>
internal static class RecommendationArrowBatch
{
    public static RecordBatch Build(Schema schema, IReadOnlyList<Recommendation> rows)
    {
        var accountId = new StringArray.Builder();
        var scoreDate = new Date32Array.Builder();
        var score = new Int64Array.Builder();
        var tier = new StringArray.Builder();
        var rationale = new StringArray.Builder();
        var actions = new ListArray.Builder(new Field("item", StringType.Default, nullable: false));
        var actionValues = (StringArray.Builder)actions.ValueBuilder;
        var confidence = new DoubleArray.Builder();
        var scorer = new StringArray.Builder();
        var model = new StringArray.Builder();
        var promptVersion = new StringArray.Builder();
        var inputHash = new StringArray.Builder();
        var runId = new StringArray.Builder();
        var scoredAt = new TimestampArray.Builder(TimeUnit.Microsecond, "UTC");
        var latency = new Int64Array.Builder();
        var inputTokens = new Int64Array.Builder();
        var outputTokens = new Int64Array.Builder();
        var thinkingTokens = new Int64Array.Builder();
        var materialHash = new StringArray.Builder();
        var carriedFrom = new Date32Array.Builder();
        foreach (var r in rows)
        {
            accountId.Append(r.AccountId);
            scoreDate.Append(r.ScoreDate);
            score.Append(r.Score);
            tier.Append(r.Tier);
            rationale.Append(r.Rationale);
            actions.Append();
            foreach (var a in r.RecommendedActions)
            {
                actionValues.Append(a);
            }

            confidence.Append(r.Confidence);
            scorer.Append(r.Scorer);
            model.Append(r.Model);
            promptVersion.Append(r.PromptVersion);
            inputHash.Append(r.InputHash);
            runId.Append(r.RunId);
            scoredAt.Append(r.ScoredAt);
            AppendNullable(latency, r.LatencyMs);
            AppendNullable(inputTokens, r.InputTokens);
            AppendNullable(outputTokens, r.OutputTokens);
            AppendNullable(thinkingTokens, r.ThinkingTokens);
            materialHash.Append(r.MaterialHash);
            if (r.CarriedFrom is { } carried)
            {
                carriedFrom.Append(carried);
            }
            else
            {
                carriedFrom.AppendNull();
            }
        }

        // Native buffers freed when the sink disposes the batch after writing it (no GC memory pressure per buffer).
        var pool = NativeArrowAllocator.Zeroed;
        IArrowArray[] columns =
        [
            accountId.Build(pool), scoreDate.Build(pool), score.Build(pool), tier.Build(pool), rationale.Build(pool), actions.Build(pool),
            confidence.Build(pool), scorer.Build(pool), model.Build(pool), promptVersion.Build(pool), inputHash.Build(pool), runId.Build(pool),
            scoredAt.Build(pool), latency.Build(pool), inputTokens.Build(pool), outputTokens.Build(pool), thinkingTokens.Build(pool),
            materialHash.Build(pool), carriedFrom.Build(pool),
        ];
        return new RecordBatch(schema, columns, rows.Count);
    }

    private static void AppendNullable(Int64Array.Builder builder, long? value)
    {
        if (value is null)
        {
            builder.AppendNull();
        }
        else
        {
            builder.Append(value.Value);
        }
    }
}

using Google.Protobuf;
using Google.Protobuf.Reflection;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Protos.BigQueryStorage;
using SalesIntel.Stages.Protos.Rows;

namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>
/// Turns recommendations into serialized <see cref="RecommendationRow"/> messages, written back to back into large
/// blocks and handed out as zero-copy <see cref="ByteString"/> slices (one small object per row, no copy). Not thread
/// safe: one encoder per sink, used under the sink's lock.
/// </summary>
internal sealed class RecommendationRowEncoder
{
    private const int BlockBytes = 256 * 1024;
    private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    private readonly RecommendationRow _row = new();
    private byte[] _block = new byte[BlockBytes];
    private int _used;

    /// <summary>The self-contained descriptor sent as the writer schema.</summary>
    public static DescriptorProto Descriptor { get; } = RecommendationRow.Descriptor.ToProto();

    /// <summary>The writer schema of every AppendRows connection.</summary>
    public static ProtoSchema WriterSchema { get; } = new() { ProtoDescriptor = Descriptor };

    /// <summary>Serialized size of <see cref="WriterSchema"/> inside a request (tag and length included).</summary>
    public static int WriterSchemaBytes { get; } = CodedOutputStream.ComputeMessageSize(WriterSchema);

    /// <summary>Days since 1970-01-01, the DATE encoding of the Write API.</summary>
    public static int ToEpochDays(DateOnly date) => date.DayNumber - EpochDayNumber;

    /// <summary>Microseconds since the epoch, the TIMESTAMP encoding of the Write API.</summary>
    public static long ToEpochMicros(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>Encodes one row.</summary>
    public ByteString Encode(Recommendation r)
    {
        Fill(r);
        var size = _row.CalculateSize();
        if (size > _block.Length - _used)
        {
            // Slices handed out keep the old block alive until their requests are acknowledged.
            _block = new byte[Math.Max(BlockBytes, size)];
            _used = 0;
        }

        var slice = _block.AsMemory(_used, size);
        _row.WriteTo(slice.Span);
        _used += size;
        return UnsafeByteOperations.UnsafeWrap(slice);
    }

    private void Fill(Recommendation r)
    {
        var row = _row;
        row.AccountId = r.AccountId;
        row.ScoreDate = ToEpochDays(r.ScoreDate);
        row.Score = r.Score;
        row.Tier = r.Tier;
        row.Rationale = r.Rationale;
        row.RecommendedActions.Clear();
        row.RecommendedActions.AddRange(r.RecommendedActions);
        row.Confidence = r.Confidence;
        row.Scorer = r.Scorer;
        if (r.Model is null)
        {
            row.ClearModel();
        }
        else
        {
            row.Model = r.Model;
        }

        row.PromptVersion = r.PromptVersion;
        row.InputHash = r.InputHash;
        row.RunId = r.RunId;
        row.ScoredAt = ToEpochMicros(r.ScoredAt);
        if (r.LatencyMs is { } latency) { row.LatencyMs = latency; } else { row.ClearLatencyMs(); }
        if (r.InputTokens is { } input) { row.InputTokens = input; } else { row.ClearInputTokens(); }
        if (r.OutputTokens is { } output) { row.OutputTokens = output; } else { row.ClearOutputTokens(); }
        if (r.ThinkingTokens is { } thinking) { row.ThinkingTokens = thinking; } else { row.ClearThinkingTokens(); }
    }
}

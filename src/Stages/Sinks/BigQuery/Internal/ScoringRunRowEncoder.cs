using Google.Protobuf;
using Google.Protobuf.Reflection;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Protos.BigQueryStorage;
using SalesIntel.Stages.Protos.Rows;

namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>
/// Encodes ledger rows as <see cref="ScoringRunRow"/> messages with the generated code: one row per run, so a message
/// object costs nothing that matters. Nullable figures are left unset, which BigQuery stores as NULL.
/// Not thread safe (Measure keeps the message for the Write that follows).
/// </summary>
internal sealed class ScoringRunRowEncoder : IRowEncoder<ScoringRun>
{
    private ScoringRunRow? _measured;

    /// <summary>The self-contained descriptor sent as the writer schema.</summary>
    public static DescriptorProto Descriptor { get; } = ScoringRunRow.Descriptor.ToProto();

    /// <summary>The serialized writer schema.</summary>
    public static byte[] WriterSchemaBytes { get; } = new ProtoSchema { ProtoDescriptor = Descriptor }.ToByteArray();

    /// <inheritdoc />
    public byte[] SchemaBytes => WriterSchemaBytes;

    /// <summary>The row message for a run.</summary>
    public static ScoringRunRow ToRow(ScoringRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var row = new ScoringRunRow
        {
            RunId = run.RunId,
            TaskIndex = run.TaskIndex,
            TaskCount = run.TaskCount,
            TaskAttempt = run.TaskAttempt,
            Dates = run.Dates,
            Source = run.Source,
            Sink = run.Sink,
            Scorer = run.Scorer,
            Status = run.Status,
            ExitCode = run.ExitCode,
            Read = run.Read,
            Scored = run.Scored,
            Written = run.Written,
            Skipped = run.Skipped,
            DeadLettered = run.DeadLettered,
            InputTokens = run.InputTokens,
            OutputTokens = run.OutputTokens,
            StartedAt = RecommendationRowEncoder.ToEpochMicros(run.StartedAt),
            EndedAt = RecommendationRowEncoder.ToEpochMicros(run.EndedAt),
        };
        SetIfKnown(run.Execution, v => row.Execution = v);
        SetIfKnown(run.Model, v => row.Model = v);
        SetIfKnown(run.ModelVersion, v => row.ModelVersion = v);
        SetIfKnown(run.PromptVersion, v => row.PromptVersion = v);
        SetIfKnown(run.Error, v => row.Error = v);
        SetIfKnown(run.CarriedForward, v => row.CarriedForward = v);
        SetIfKnown(run.ThinkingTokens, v => row.ThinkingTokens = v);
        SetIfKnown(run.CostUsd, v => row.CostUsd = v);
        SetIfKnown(run.LatencyP50Ms, v => row.LatencyP50Ms = v);
        SetIfKnown(run.LatencyP90Ms, v => row.LatencyP90Ms = v);
        SetIfKnown(run.LatencyP99Ms, v => row.LatencyP99Ms = v);
        return row;
    }

    /// <inheritdoc />
    public int Measure(ScoringRun row)
    {
        _measured = ToRow(row);
        return _measured.CalculateSize();
    }

    /// <inheritdoc />
    public void Write(ScoringRun row, Span<byte> destination)
    {
        var message = _measured ?? ToRow(row);
        _measured = null;
        message.WriteTo(destination);
    }

    private static void SetIfKnown(string? value, Action<string> set)
    {
        if (value is not null)
        {
            set(value);
        }
    }

    private static void SetIfKnown<T>(T? value, Action<T> set)
        where T : struct
    {
        if (value is { } known)
        {
            set(known);
        }
    }
}

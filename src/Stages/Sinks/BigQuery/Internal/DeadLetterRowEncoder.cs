using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Protos.BigQueryStorage;
using SalesIntel.Stages.Protos.Rows;

namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>
/// Encodes dead letters as <see cref="DeadLetterRow"/> messages with the generated code: dead letters are few, so a
/// message object per row costs nothing that matters, and the bytes are the generated ones by construction.
/// <c>raw_input</c> is a JSON column: raw text that is JSON goes as it is, any other text as a JSON string, so
/// BigQuery never refuses a row for it. Not thread safe (Measure keeps the message for the Write that follows).
/// </summary>
internal sealed class DeadLetterRowEncoder(string runId, int taskIndex, int taskAttempt) : IRowEncoder<DeadLetterEntry>
{
    /// <summary>The longest raw input kept, like the dead-letter file.</summary>
    public const int MaxRawChars = 4096;

    private DeadLetterRow? _measured;

    /// <summary>The self-contained descriptor sent as the writer schema.</summary>
    public static DescriptorProto Descriptor { get; } = DeadLetterRow.Descriptor.ToProto();

    /// <summary>The serialized writer schema.</summary>
    public static byte[] WriterSchemaBytes { get; } = new ProtoSchema { ProtoDescriptor = Descriptor }.ToByteArray();

    /// <inheritdoc />
    public byte[] SchemaBytes => WriterSchemaBytes;

    /// <summary>The row message for a dead letter.</summary>
    public DeadLetterRow ToRow(DeadLetterEntry entry)
    {
        var d = entry.Letter;
        var row = new DeadLetterRow
        {
            RunId = runId,
            TaskIndex = taskIndex,
            TaskAttempt = taskAttempt,
            Stage = d.Stage,
            Reason = d.Reason,
            Message = d.Message,
            SourcePosition = d.Position.ToString(),
            DeadLetteredAt = RecommendationRowEncoder.ToEpochMicros(entry.At),
        };
        if (d.AccountId is { } account)
        {
            row.AccountId = account;
        }

        if (d.Raw is { } raw)
        {
            row.RawInput = AsJson(raw);
        }

        return row;
    }

    /// <summary>The raw text as JSON: itself when it is a JSON value, otherwise a JSON string (truncated text is never valid JSON).</summary>
    public static string AsJson(string raw)
    {
        var kept = raw.Length > MaxRawChars ? raw[..MaxRawChars] + "…(truncated)" : raw;
        try
        {
            using var _ = JsonDocument.Parse(kept);
            return kept;
        }
        catch (JsonException)
        {
            return JsonSerializer.Serialize(kept);
        }
    }

    /// <inheritdoc />
    public int Measure(DeadLetterEntry row)
    {
        _measured = ToRow(row);
        return _measured.CalculateSize();
    }

    /// <inheritdoc />
    public void Write(DeadLetterEntry row, Span<byte> destination)
    {
        var message = _measured ?? ToRow(row);
        _measured = null;
        message.WriteTo(destination);
    }
}

/// <summary>A dead letter and when it was recorded.</summary>
/// <param name="Letter">The dead letter.</param>
/// <param name="At">When the run recorded it (the injected clock).</param>
internal sealed record DeadLetterEntry(DeadLetter Letter, DateTimeOffset At);

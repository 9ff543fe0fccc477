using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Protos.BigQueryStorage;
using SalesIntel.Stages.Protos.Rows;

namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>
/// Writes a recommendation as a serialized <see cref="RecommendationRow"/> straight into a request buffer, without a
/// message object per row. The bytes are exactly what the generated <see cref="RecommendationRow"/> writes (fields in
/// number order, proto2 presence: a set field is always written, a null one never), which a test checks, so the
/// descriptor sent as the writer schema describes them. Not thread safe: one encoder per sink.
/// </summary>
internal sealed class RecommendationRowEncoder : IRowEncoder<Recommendation>
{
    private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
    private static readonly UTF8Encoding Utf8Encoding = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    // Slots 0-8 hold the lengths of the single string fields; the actions' lengths follow.
    private const int ActionSlots = 9;

    private int[] _lengths = new int[16];

    /// <summary>The self-contained descriptor sent as the writer schema.</summary>
    public static DescriptorProto Descriptor { get; } = RecommendationRow.Descriptor.ToProto();

    /// <summary>The writer schema of every AppendRows connection.</summary>
    public static ProtoSchema WriterSchema { get; } = new() { ProtoDescriptor = Descriptor };

    /// <summary><see cref="WriterSchema"/> serialized, as it goes inside ProtoData.</summary>
    public static byte[] WriterSchemaBytes { get; } = WriterSchema.ToByteArray();

    /// <inheritdoc />
    public byte[] SchemaBytes => WriterSchemaBytes;

    /// <summary>Days since 1970-01-01, the DATE encoding of the Write API.</summary>
    public static int ToEpochDays(DateOnly date) => date.DayNumber - EpochDayNumber;

    /// <summary>Microseconds since the epoch, the TIMESTAMP encoding of the Write API.</summary>
    public static long ToEpochMicros(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>
    /// Measures <paramref name="r"/>; the lengths are remembered for the <see cref="Write"/> that must follow.
    /// Returns the serialized size of the row message.
    /// </summary>
    public int Measure(Recommendation r)
    {
        var actions = r.RecommendedActions;
        if (_lengths.Length < actions.Count + ActionSlots)
        {
            _lengths = new int[actions.Count + ActionSlots];
        }

        var size = 0;
        size += StringField(0, r.AccountId, 1);
        size += 1 + Varint((ulong)(long)ToEpochDays(r.ScoreDate));
        size += 1 + Varint((ulong)(long)r.Score);
        size += StringField(1, r.Tier, 1);
        size += StringField(2, r.Rationale, 1);
        for (var i = 0; i < actions.Count; i++)
        {
            size += StringField(ActionSlots + i, actions[i], 1);
        }

        size += 1 + 8;
        size += StringField(3, r.Scorer, 1);
        if (r.Model is not null)
        {
            size += StringField(4, r.Model, 1);
        }

        size += StringField(5, r.PromptVersion, 1);
        size += StringField(6, r.InputHash, 1);
        size += StringField(7, r.RunId, 1);
        size += 1 + Varint((ulong)ToEpochMicros(r.ScoredAt));
        size += OptionalInt64(r.LatencyMs, 1) + OptionalInt64(r.InputTokens, 1) + OptionalInt64(r.OutputTokens, 2) + OptionalInt64(r.ThinkingTokens, 2);
        if (r.MaterialHash is not null)
        {
            size += StringField(8, r.MaterialHash, 2);
        }

        if (r.CarriedFrom is { } carried)
        {
            size += 2 + Varint((ulong)(long)ToEpochDays(carried));
        }

        return size;
    }

    /// <summary>Writes the row measured last into <paramref name="destination"/> (exactly the measured size).</summary>
    public void Write(Recommendation r, Span<byte> destination)
    {
        var w = new Writer(destination);
        w.String(0x0A, r.AccountId, _lengths[0]);
        w.Tag(0x10);
        w.Varint((ulong)(long)ToEpochDays(r.ScoreDate));
        w.Tag(0x18);
        w.Varint((ulong)(long)r.Score);
        w.String(0x22, r.Tier, _lengths[1]);
        w.String(0x2A, r.Rationale, _lengths[2]);
        var actions = r.RecommendedActions;
        for (var i = 0; i < actions.Count; i++)
        {
            w.String(0x32, actions[i], _lengths[ActionSlots + i]);
        }

        w.Tag(0x39);
        w.Double(r.Confidence);
        w.String(0x42, r.Scorer, _lengths[3]);
        if (r.Model is { } model)
        {
            w.String(0x4A, model, _lengths[4]);
        }

        w.String(0x52, r.PromptVersion, _lengths[5]);
        w.String(0x5A, r.InputHash, _lengths[6]);
        w.String(0x62, r.RunId, _lengths[7]);
        w.Tag(0x68);
        w.Varint((ulong)ToEpochMicros(r.ScoredAt));
        if (r.LatencyMs is { } latency)
        {
            w.Tag(0x70);
            w.Varint((ulong)latency);
        }

        if (r.InputTokens is { } input)
        {
            w.Tag(0x78);
            w.Varint((ulong)input);
        }

        if (r.OutputTokens is { } output)
        {
            w.Tag(0x80);
            w.Tag(0x01);
            w.Varint((ulong)output);
        }

        if (r.ThinkingTokens is { } thinking)
        {
            w.Tag(0x88);
            w.Tag(0x01);
            w.Varint((ulong)thinking);
        }

        if (r.MaterialHash is { } material)
        {
            // Field 18, wire type 2: the tag 146 is two varint bytes.
            w.Tag(0x92);
            w.String(0x01, material, _lengths[8]);
        }

        if (r.CarriedFrom is { } carried)
        {
            w.Tag(0x98);
            w.Tag(0x01);
            w.Varint((ulong)(long)ToEpochDays(carried));
        }

        if (w.Position != destination.Length)
        {
            throw new InvalidOperationException($"row of account {r.AccountId} was measured at {destination.Length} bytes but wrote {w.Position}");
        }
    }

    /// <summary>The size of a varint.</summary>
    public static int Varint(ulong value) => value switch
    {
        < 1UL << 7 => 1,
        < 1UL << 14 => 2,
        < 1UL << 21 => 3,
        < 1UL << 28 => 4,
        < 1UL << 35 => 5,
        < 1UL << 42 => 6,
        < 1UL << 49 => 7,
        < 1UL << 56 => 8,
        < 1UL << 63 => 9,
        _ => 10,
    };

    private int StringField(int slot, string value, int tagBytes)
    {
        var bytes = Utf8Encoding.GetByteCount(value);
        _lengths[slot] = bytes;
        return tagBytes + Varint((ulong)bytes) + bytes;
    }

    private static int OptionalInt64(long? value, int tagBytes) => value is { } v ? tagBytes + Varint((ulong)v) : 0;

    /// <summary>Protobuf wire writing over a span.</summary>
    public ref struct Writer(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;

        public int Position { get; private set; }

        public void Tag(byte tag) => _buffer[Position++] = tag;

        public void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _buffer[Position++] = (byte)(value | 0x80);
                value >>= 7;
            }

            _buffer[Position++] = (byte)value;
        }

        public void String(byte tag, string value, int byteCount)
        {
            _buffer[Position++] = tag;
            Varint((ulong)byteCount);
            Position += Utf8Encoding.GetBytes(value, _buffer[Position..]);
        }

        public void Utf8(string value) => Position += Utf8Encoding.GetBytes(value, _buffer[Position..]);

        public void Bytes(byte tag, ReadOnlySpan<byte> value)
        {
            _buffer[Position++] = tag;
            Varint((ulong)value.Length);
            value.CopyTo(_buffer[Position..]);
            Position += value.Length;
        }

        public void Double(double value)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(_buffer[Position..], value);
            Position += 8;
        }
    }
}

using System.Runtime.InteropServices;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes;

/// <summary>
/// Decodes serialized rows with nothing but the DescriptorProto a client sent, as BigQuery does. C# has no
/// DynamicMessage, so the descriptor is built into a real <see cref="MessageDescriptor"/> (wrapped in a proto2 file:
/// the backend reads rows with proto2 semantics) and the wire format is walked field by field.
/// </summary>
public sealed class DescriptorRowDecoder
{
    private readonly MessageDescriptor _message;

    public DescriptorRowDecoder(DescriptorProto descriptor)
    {
        var file = new FileDescriptorProto
        {
            Name = "fake_writer_schema.proto",
            Package = "fake.writer",
            Syntax = "proto2",
            MessageType = { descriptor },
        };
        _message = FileDescriptor.BuildFromByteStrings([file.ToByteString()])[0].MessageTypes[0];
    }

    /// <summary>
    /// Checks one row without materializing it (the benchmark's fast path): every field is in the descriptor with a
    /// matching wire type and the message is well formed. Returns the field numbers seen (below 64) as a bit mask.
    /// </summary>
    public ulong Validate(ByteString bytes)
    {
        var input = MemoryMarshal.TryGetArray(bytes.Memory, out var segment) && segment.Array is not null
            ? new CodedInputStream(segment.Array, segment.Offset, segment.Count)
            : new CodedInputStream(bytes.ToByteArray());
        ulong seen = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            var field = _message.FindFieldByNumber(number) ?? throw new FormatException($"field number {number} is not in the writer schema");
            var wire = WireFormat.GetTagWireType(tag);
            var expected = field.FieldType switch
            {
                FieldType.String or FieldType.Bytes or FieldType.Message => WireFormat.WireType.LengthDelimited,
                FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => WireFormat.WireType.Fixed64,
                FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => WireFormat.WireType.Fixed32,
                _ => WireFormat.WireType.Varint,
            };
            if (wire != expected && !(field.IsRepeated && wire == WireFormat.WireType.LengthDelimited))
            {
                throw new FormatException($"field {field.Name} has wire type {wire}, expected {expected}");
            }

            if (number < 64)
            {
                seen |= 1UL << number;
            }

            input.SkipLastField();
        }

        return seen;
    }

    /// <summary>The fields of the row message.</summary>
    public IList<FieldDescriptor> Fields => _message.Fields.InFieldNumberOrder();

    /// <summary>
    /// Decodes one row into column name -> value (repeated fields as lists; absent fields are missing from the map,
    /// which is a NULL). Throws <see cref="InvalidProtocolBufferException"/> or <see cref="FormatException"/> on malformed input.
    /// </summary>
    public Dictionary<string, object?> Decode(ByteString bytes)
    {
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        var input = MemoryMarshal.TryGetArray(bytes.Memory, out var segment) && segment.Array is not null
            ? new CodedInputStream(segment.Array, segment.Offset, segment.Count)
            : new CodedInputStream(bytes.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = _message.FindFieldByNumber(WireFormat.GetTagFieldNumber(tag));
            if (field is null)
            {
                throw new FormatException($"field number {WireFormat.GetTagFieldNumber(tag)} is not in the writer schema");
            }

            if (field.IsRepeated && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited && IsPackable(field.FieldType))
            {
                var list = ListOf(values, field);
                var length = input.ReadLength();
                var end = input.Position + length;
                while (input.Position < end)
                {
                    list.Add(ReadScalar(input, field));
                }

                continue;
            }

            var value = ReadScalar(input, field);
            if (field.IsRepeated)
            {
                ListOf(values, field).Add(value);
            }
            else
            {
                values[field.Name] = value;
            }
        }

        return values;
    }

    private static List<object?> ListOf(Dictionary<string, object?> values, FieldDescriptor field)
    {
        if (values.TryGetValue(field.Name, out var existing) && existing is List<object?> list)
        {
            return list;
        }

        list = [];
        values[field.Name] = list;
        return list;
    }

    private static bool IsPackable(FieldType type) => type is not (FieldType.String or FieldType.Bytes or FieldType.Message or FieldType.Group);

    private static object? ReadScalar(CodedInputStream input, FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String => input.ReadString(),
        FieldType.Bytes => input.ReadBytes(),
        FieldType.Int64 => input.ReadInt64(),
        FieldType.SInt64 => input.ReadSInt64(),
        FieldType.SFixed64 => input.ReadSFixed64(),
        FieldType.UInt64 => (long)input.ReadUInt64(),
        FieldType.Fixed64 => (long)input.ReadFixed64(),
        FieldType.Int32 => input.ReadInt32(),
        FieldType.SInt32 => input.ReadSInt32(),
        FieldType.SFixed32 => input.ReadSFixed32(),
        FieldType.UInt32 => (int)input.ReadUInt32(),
        FieldType.Fixed32 => (int)input.ReadFixed32(),
        FieldType.Double => input.ReadDouble(),
        FieldType.Float => (double)input.ReadFloat(),
        FieldType.Bool => input.ReadBool(),
        FieldType.Enum => input.ReadEnum(),
        _ => throw new FormatException($"field {field.Name}: {field.FieldType} is not supported by the fake"),
    };
}

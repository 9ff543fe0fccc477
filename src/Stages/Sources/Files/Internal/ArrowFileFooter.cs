using System.Buffers.Binary;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>
/// Counts the rows of an Arrow IPC file from its footer and the small metadata message of each record batch,
/// without reading any batch body, so the row guard can be checked before reading. A minimal read-only walk of
/// the flatbuffers involved (Footer.recordBatches, Message.header, RecordBatch.length); any surprise gives null.
/// </summary>
internal static class ArrowFileFooter
{
    private const int MagicLength = 6;
    private const int MaxMetadataBytes = 1 << 24;

    public static long? CountRows(FileStream file)
    {
        try
        {
            return CountRowsCore(file);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or IOException or OverflowException)
        {
            return null;
        }
    }

    private static long? CountRowsCore(FileStream file)
    {
        var length = file.Length;
        if (length < (MagicLength * 2) + 4)
        {
            return null;
        }

        Span<byte> tail = stackalloc byte[4 + MagicLength];
        file.Position = length - tail.Length;
        file.ReadExactly(tail);
        if (!tail[4..].SequenceEqual("ARROW1"u8))
        {
            return null;
        }

        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > length)
        {
            return null;
        }

        var footer = new byte[footerLength];
        file.Position = length - tail.Length - footerLength;
        file.ReadExactly(footer);

        // Footer { version: short; schema: Schema; dictionaries: [Block]; recordBatches: [Block]; ... }
        var root = Table(footer, 0);
        var batches = Vector(footer, root, slot: 3);
        if (batches is null)
        {
            return 0;
        }

        var (start, count) = batches.Value;
        long rows = 0;
        for (var i = 0; i < count; i++)
        {
            // Block { offset: long; metaDataLength: int; (pad); bodyLength: long }: 24 bytes.
            var block = footer.AsSpan(start + (i * 24), 24);
            var offset = BinaryPrimitives.ReadInt64LittleEndian(block);
            var metaLength = BinaryPrimitives.ReadInt32LittleEndian(block[8..]);
            if (metaLength is <= 8 or > MaxMetadataBytes)
            {
                return null;
            }

            var meta = new byte[metaLength];
            file.Position = offset;
            file.ReadExactly(meta);
            var body = meta.AsSpan();
            body = BinaryPrimitives.ReadUInt32LittleEndian(body) == 0xFFFFFFFF ? body[8..] : body[4..];
            var message = body.ToArray();

            // Message { version: short; header_type: ubyte; header: MessageHeader; bodyLength: long; ... }, RecordBatch = 3.
            var messageTable = Table(message, 0);
            if (Scalar8(message, messageTable, slot: 1) != 3)
            {
                return null;
            }

            var header = Offset(message, messageTable, slot: 2);
            if (header is null)
            {
                return null;
            }

            // RecordBatch { length: long; nodes; buffers; compression; ... }
            rows += Scalar64(message, header.Value, slot: 0);
        }

        return rows;
    }

    private static int Table(byte[] buffer, int at) => at + (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at));

    private static int FieldOffset(byte[] buffer, int table, int slot)
    {
        var vtable = table - BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(table));
        var vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(vtable));
        var entry = 4 + (slot * 2);
        return entry + 2 > vtableSize ? 0 : BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(vtable + entry));
    }

    private static int? Offset(byte[] buffer, int table, int slot)
    {
        var field = FieldOffset(buffer, table, slot);
        return field == 0 ? null : table + field + (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(table + field));
    }

    private static (int Start, int Count)? Vector(byte[] buffer, int table, int slot)
    {
        var at = Offset(buffer, table, slot);
        return at is null ? null : (at.Value + 4, (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at.Value)));
    }

    private static byte Scalar8(byte[] buffer, int table, int slot)
    {
        var field = FieldOffset(buffer, table, slot);
        return field == 0 ? (byte)0 : buffer[table + field];
    }

    private static long Scalar64(byte[] buffer, int table, int slot)
    {
        var field = FieldOffset(buffer, table, slot);
        return field == 0 ? 0 : BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(table + field));
    }
}

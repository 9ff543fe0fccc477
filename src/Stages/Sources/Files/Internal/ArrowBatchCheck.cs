using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>
/// Checks that every buffer of a record batch is as large as its length and offsets say. Apache.Arrow trusts the
/// body: an LZ4 buffer whose length prefix disagrees with its frame decompresses into a short buffer, and the batch
/// only fails later, deep in a value read, with an ArgumentOutOfRangeException. Checked here, a malformed body is
/// one line naming its batch, like any other unreadable batch.
/// </summary>
internal static class ArrowBatchCheck
{
    /// <summary>The first inconsistency, or null when the batch is sound.</summary>
    public static string? FindProblem(RecordBatch batch)
    {
        for (var i = 0; i < batch.ColumnCount; i++)
        {
            var data = batch.Column(i).Data;
            if (data.Length < batch.Length)
            {
                return $"column '{batch.Schema.FieldsList[i].Name}' holds {data.Length} values for {batch.Length} rows";
            }

            if (Check(data) is { } problem)
            {
                return $"column '{batch.Schema.FieldsList[i].Name}': {problem}";
            }
        }

        return null;
    }

    private static string? Check(ArrayData data)
    {
        var end = (long)data.Offset + data.Length;
        if (data.Offset < 0 || data.Length < 0)
        {
            return "negative offset or length";
        }

        if (data.NullCount != 0 && data.Buffers.Length > 0 && !data.Buffers[0].IsEmpty && data.Buffers[0].Length < (end + 7) / 8)
        {
            return Short("validity", data.Buffers[0].Length, (end + 7) / 8);
        }

        switch (data.DataType)
        {
            case BinaryType or StringType:
                return CheckOffsets(data, end, out var valueEnd) ?? (Buffer(data, 2).Length < valueEnd ? Short("value", Buffer(data, 2).Length, valueEnd) : null);
            case ListType:
                return CheckOffsets(data, end, out var childEnd)
                    ?? (data.Children.Length != 1 ? "a list without its element column"
                        : data.Children[0].Offset + (long)data.Children[0].Length < childEnd ? $"offsets reach element {childEnd} of {data.Children[0].Length}"
                        : Check(data.Children[0]));
            case StructType:
                foreach (var child in data.Children)
                {
                    if (child.Offset + (long)child.Length < end)
                    {
                        return $"a field holds {child.Length} values for {end}";
                    }

                    if (Check(child) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case FixedWidthType fixedWidth:
                var needed = (end * fixedWidth.BitWidth + 7) / 8;
                return Buffer(data, 1).Length < needed ? Short("value", Buffer(data, 1).Length, needed) : null;
            default:
                return null;
        }
    }

    /// <summary>Offsets must cover every value, start at or after 0 and never go back.</summary>
    private static string? CheckOffsets(ArrayData data, long end, out long lastOffset)
    {
        lastOffset = 0;
        var buffer = Buffer(data, 1);
        if (end == 0)
        {
            return null;
        }

        if (buffer.Length < (end + 1) * 4)
        {
            return Short("offset", buffer.Length, (end + 1) * 4);
        }

        var offsets = MemoryMarshal.Cast<byte, int>(buffer.Span)[data.Offset..(int)(end + 1)];
        if (offsets[0] < 0)
        {
            return "a negative offset";
        }

        for (var i = 1; i < offsets.Length; i++)
        {
            if (offsets[i] < offsets[i - 1])
            {
                return "offsets go backwards";
            }
        }

        lastOffset = offsets[^1];
        return null;
    }

    private static ArrowBuffer Buffer(ArrayData data, int index) => index < data.Buffers.Length ? data.Buffers[index] : ArrowBuffer.Empty;

    private static string Short(string kind, int actual, long needed) => $"the {kind} buffer holds {actual} bytes, {needed} needed";
}

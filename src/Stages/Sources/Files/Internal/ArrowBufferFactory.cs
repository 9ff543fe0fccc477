using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Memory;
using SalesIntel.Stages.Decode;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>
/// Copies staged bytes into native, 64-byte aligned memory (<see cref="NativeArrowAllocator"/>), so a finished batch
/// holds no managed arrays and is freed when the consumer disposes it: flat memory, and none of the GC memory
/// pressure that Arrow's default allocator reports for every buffer.
/// </summary>
internal sealed class ArrowBufferFactory
{
    private readonly ArrowBuffer.Builder<byte> _stage = new(0);
    private readonly MemoryAllocator _allocator = NativeArrowAllocator.Zeroed;

    public ArrowBuffer Copy(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return ArrowBuffer.Empty;
        }

        // Resize(0) keeps the staging array (Clear would zero all of it on every buffer).
        _stage.Resize(0);
        _stage.Append(bytes);
        return _stage.Build(_allocator);
    }

    public ArrowBuffer Copy<T>(ReadOnlySpan<T> values)
        where T : unmanaged => Copy(MemoryMarshal.AsBytes(values));
}

using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Memory;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>
/// Copies staged bytes into Arrow's native, 64-byte aligned memory, so a finished batch holds no managed arrays and
/// is freed deterministically when the consumer disposes it (flat memory, no GC pressure from large arrays).
/// </summary>
internal sealed class ArrowBufferFactory
{
    private readonly ArrowBuffer.Builder<byte> _stage = new(0);
    private readonly MemoryAllocator _allocator = MemoryAllocator.Default.Value;

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

using System.Buffers;
using Apache.Arrow.Memory;

namespace SalesIntel.Stages.Sources.BigQuery.Internal;

/// <summary>
/// An Arrow allocator renting managed arrays from <see cref="ArrayPool{T}.Shared"/> and returning them when the batch
/// is disposed (the pipeline disposes each batch once decoded). Arrow's default native allocator reports every
/// allocation as GC memory pressure, which at hundreds of MB/s of decompressed buffers forces a full collection
/// every few responses; pooled arrays make the steady state allocation-free. A batch that is never disposed only
/// loses its arrays to the GC, never corrupts the pool.
/// </summary>
internal sealed class PooledArrowAllocator : MemoryAllocator
{
    /// <summary>The shared instance.</summary>
    public static PooledArrowAllocator Instance { get; } = new();

    /// <inheritdoc />
    protected override IMemoryOwner<byte> AllocateInternal(int length, out int bytesAllocated)
    {
        var owner = new PooledOwner(length);
        bytesAllocated = owner.Memory.Length;
        return owner;
    }

    private sealed class PooledOwner(int length) : IMemoryOwner<byte>
    {
        private byte[]? _array = ArrayPool<byte>.Shared.Rent(length);

        public Memory<byte> Memory => _array is { } array ? array.AsMemory(0, length) : throw new ObjectDisposedException(nameof(PooledOwner));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } array)
            {
                ArrayPool<byte>.Shared.Return(array);
            }
        }
    }
}

using System.Buffers;
using Apache.Arrow.Memory;

namespace SalesIntel.Stages.Decode;

/// <summary>
/// An Arrow allocator renting managed arrays from <see cref="ArrayPool{T}.Shared"/> and returning them when the batch
/// is disposed (the pipeline disposes each source batch once decoded, and each sink batch once written). Arrow's
/// default native allocator reports every allocation as GC memory pressure, which at hundreds of MB/s of buffers
/// forces a full (gen2) collection every few batches; pooled arrays make the steady state allocation-free. A batch
/// that is never disposed only loses its arrays to the GC, never corrupts the pool.
/// </summary>
internal sealed class PooledArrowAllocator : MemoryAllocator
{
    private readonly bool _zeroed;

    private PooledArrowAllocator(bool zeroed) => _zeroed = zeroed;

    /// <summary>
    /// For readers, which fill every byte they ask for (an IPC message body, a decompressed buffer): rented arrays are
    /// handed out as they come back from the pool.
    /// </summary>
    public static PooledArrowAllocator Instance { get; } = new(zeroed: false);

    /// <summary>
    /// For builders, which copy their values and leave the padding to the 64-byte boundary untouched: the bytes are
    /// cleared first, as Arrow's own allocator does, so that no stale bytes from an earlier batch reach a file.
    /// </summary>
    public static PooledArrowAllocator Zeroed { get; } = new(zeroed: true);

    /// <inheritdoc />
    protected override IMemoryOwner<byte> AllocateInternal(int length, out int bytesAllocated)
    {
        var owner = new PooledOwner(length);
        if (_zeroed)
        {
            owner.Memory.Span.Clear();
        }

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

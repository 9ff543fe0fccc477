using System.Buffers;
using System.Runtime.InteropServices;
using Apache.Arrow.Memory;

namespace SalesIntel.Stages.Decode;

/// <summary>
/// An Arrow allocator handing out 64-byte aligned native memory that is freed when the batch is disposed, without
/// reporting it to the GC. Arrow's default allocator does the same but calls <c>GC.AddMemoryPressure</c> for every
/// buffer, which at a few hundred MB/s of file batches triggers a gen2 collection every few batches; unlike
/// <see cref="PooledArrowAllocator"/> nothing is kept once freed, so the process's memory follows the batches in
/// flight (the file sources and sinks hold a few at a time). A batch that is never disposed is freed by the finalizer.
/// </summary>
internal sealed class NativeArrowAllocator : MemoryAllocator
{
    private const int BufferAlignment = 64;
    private readonly bool _zeroed;

    private NativeArrowAllocator(bool zeroed) => _zeroed = zeroed;

    /// <summary>For readers, which fill every byte they ask for (an IPC message body, a decompressed buffer).</summary>
    public static NativeArrowAllocator Instance { get; } = new(zeroed: false);

    /// <summary>For builders, which leave the padding to the 64-byte boundary untouched: cleared first, as Arrow's allocator does.</summary>
    public static NativeArrowAllocator Zeroed { get; } = new(zeroed: true);

    /// <inheritdoc />
    protected override IMemoryOwner<byte> AllocateInternal(int length, out int bytesAllocated)
    {
        var owner = new NativeOwner(length);
        if (_zeroed)
        {
            owner.Memory.Span.Clear();
        }

        bytesAllocated = length;
        return owner;
    }

    private sealed unsafe class NativeOwner : MemoryManager<byte>
    {
        private readonly int _length;
        private nint _pointer;

        public NativeOwner(int length)
        {
            _length = length;
            _pointer = (nint)NativeMemory.AlignedAlloc((nuint)Math.Max(length, 1), BufferAlignment);
        }

        // CA2015 warns that a span may outlive its manager; Arrow reads a buffer's span only through the ArrowBuffer
        // that holds this owner, so the owner is reachable while any span is in use (Arrow's own manager does the same).
#pragma warning disable CA2015
        ~NativeOwner() => Dispose(false);
#pragma warning restore CA2015

        public override Span<byte> GetSpan() => _pointer == 0 ? throw new ObjectDisposedException(nameof(NativeOwner)) : new Span<byte>((void*)_pointer, _length);

        public override MemoryHandle Pin(int elementIndex = 0) => new((byte*)_pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
            // Exchange: a batch disposed twice (or by the finalizer after Dispose) frees its memory once.
            var pointer = Interlocked.Exchange(ref _pointer, 0);
            if (pointer != 0)
            {
                NativeMemory.AlignedFree((void*)pointer);
                GC.SuppressFinalize(this);
            }
        }
    }
}

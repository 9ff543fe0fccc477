using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Memory;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Fixtures;

namespace SalesIntel.Tests.Stages.Decode.Internal;

/// <summary>
/// The allocators the file and BigQuery paths use instead of Arrow's default one must not change a single byte:
/// the same IPC data read through them gives the same canonical JSON (hence input hash) for every BigQuery type, and
/// arrays built through them serialize to the same IPC bytes.
/// </summary>
public sealed class NativeArrowAllocatorTests
{
    public static TheoryData<string> Allocators => ["native", "pooled"];

    [Theory]
    [MemberData(nameof(Allocators))]
    public async Task ReadingEveryType_GivesTheSameCanonicalJsonAsArrowsDefaultAllocator(string name)
    {
        var ipc = await ToIpcStream(EveryTypeFixture.Build());

        using var expected = await ReadSingleBatch(ipc, MemoryAllocator.Default.Value);
        using var actual = await ReadSingleBatch(ipc, ReaderAllocator(name));

        var json = new CanonicalJson(EveryTypeFixture.Schema);
        var expectedRows = Enumerable.Range(0, expected.Length).Select(i => json.Write(expected, i).ToArray()).ToList();
        var actualRows = Enumerable.Range(0, actual.Length).Select(i => json.Write(actual, i).ToArray()).ToList();
        Assert.True(expectedRows.Count > 1);
        Assert.Equal(expectedRows, actualRows);
    }

    [Theory]
    [MemberData(nameof(Allocators))]
    public async Task BuildingArrays_WritesTheSameIpcBytesAsArrowsDefaultAllocator(string name)
    {
        // Odd lengths leave padding after the values: stale bytes there would reach the file.
        static RecordBatch Build(MemoryAllocator allocator)
        {
            var text = new StringArray.Builder().Append("Score 72 (B)").AppendNull().Append("ünïcode").Build(allocator);
            var numbers = new Int64Array.Builder().Append(7).AppendNull().Append(-3).Build(allocator);
            var schema = new Schema.Builder().Field(f => f.Name("text").DataType(text.Data.DataType)).Field(f => f.Name("n").DataType(numbers.Data.DataType)).Build();
            return new RecordBatch(schema, [text, numbers], 3);
        }

        // Dirty the memory the allocator will hand out next, as an earlier batch would.
        using (var dirty = BuilderAllocator(name).Allocate(64))
        {
            dirty.Memory.Span.Fill(0xAB);
        }

        using var expected = Build(MemoryAllocator.Default.Value);
        using var actual = Build(BuilderAllocator(name));
        Assert.Equal(await ToIpcStream(expected), await ToIpcStream(actual));
    }

    [Theory]
    [MemberData(nameof(Allocators))]
    public void ZeroedAllocator_ClearsMemoryThatWasUsedBefore(string name)
    {
        var allocator = BuilderAllocator(name);
        using (var first = allocator.Allocate(4096))
        {
            first.Memory.Span.Fill(0xFF);
        }

        using var second = allocator.Allocate(4096);
        Assert.Equal(4096, second.Memory.Length);
        Assert.All(second.Memory.ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void NativeMemory_DisposedTwice_IsFreedOnceAndNoLongerReadable()
    {
        var owner = NativeArrowAllocator.Instance.Allocate(100);
        Assert.Equal(100, owner.Memory.Length);

        owner.Dispose();
        owner.Dispose();
        Assert.Throws<ObjectDisposedException>(() => owner.Memory.Span.Length);
    }

    private static MemoryAllocator ReaderAllocator(string name) => name == "native" ? NativeArrowAllocator.Instance : PooledArrowAllocator.Instance;

    private static MemoryAllocator BuilderAllocator(string name) => name == "native" ? NativeArrowAllocator.Zeroed : PooledArrowAllocator.Zeroed;

    private static async Task<byte[]> ToIpcStream(RecordBatch batch)
    {
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, batch.Schema, leaveOpen: true))
        {
            await writer.WriteRecordBatchAsync(batch);
            await writer.WriteEndAsync();
        }

        return stream.ToArray();
    }

    private static async Task<RecordBatch> ReadSingleBatch(byte[] ipc, MemoryAllocator allocator)
    {
        using var reader = new ArrowStreamReader(new MemoryStream(ipc), allocator, leaveOpen: false);
        return await reader.ReadNextRecordBatchAsync() ?? throw new InvalidOperationException("no batch");
    }
}

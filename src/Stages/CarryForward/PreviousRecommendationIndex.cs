using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using SalesIntel.Stages.CarryForward.Internal;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.CarryForward;

/// <summary>
/// The latest earlier recommendation of every account, compact enough for large account bases: in memory only a
/// sorted array of 32-byte entries (64-bit account-id hash, 64-bit material hash, score date, scored date and the
/// position of the full row), while the rows themselves wait in a temporary spill file (deleted on dispose) and are
/// read back only for the accounts that are carried forward. Thread-safe once built (reads are positional).
/// </summary>
public sealed class PreviousRecommendationIndex : IDisposable
{
    private readonly IndexEntry[] _entries;
    private readonly int _count;
    private readonly FileStream _spill;

    private PreviousRecommendationIndex(IndexEntry[] entries, int count, FileStream spill, long rowsSeen)
    {
        _entries = entries;
        _count = count;
        _spill = spill;
        RowsSeen = rowsSeen;
    }

    /// <summary>Bytes held in memory per indexed entry.</summary>
    public static int EntryBytes => Marshal.SizeOf<IndexEntry>();

    /// <summary>Accounts in the index (one entry each: the latest row).</summary>
    public int Count => _count;

    /// <summary>Rows offered while building, including older rows of the same account and rows without a material hash.</summary>
    public long RowsSeen { get; }

    /// <summary>Bytes of the in-memory array (including slack left by duplicate rows).</summary>
    public long MemoryBytes => (long)_entries.Length * EntryBytes;

    /// <summary>Bytes of the spill file on disk.</summary>
    public long SpillBytes => _spill.Length;

    /// <summary>An index that holds nothing (no previous run).</summary>
    public static PreviousRecommendationIndex Empty() => new Builder().Build();

    /// <summary>The 64-bit key of an account id: XXH64 of its UTF-8 bytes.</summary>
    public static ulong AccountKey(string accountId)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        var max = Encoding.UTF8.GetMaxByteCount(accountId.Length);
        Span<byte> buffer = max <= 512 ? stackalloc byte[max] : new byte[max];
        var length = Encoding.UTF8.GetBytes(accountId, buffer);
        return XxHash64.HashToUInt64(buffer[..length]);
    }

    /// <summary>The first 64 bits of a hex material hash, as the index compares it; null when the text is not hex.</summary>
    public static ulong? MaterialKey(string? materialHash) =>
        materialHash is { Length: >= 16 } && ulong.TryParse(materialHash.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var key) ? key : null;

    /// <summary>Finds the latest entry of <paramref name="accountId"/>.</summary>
    public bool TryFind(string accountId, out PreviousEntry entry)
    {
        var key = AccountKey(accountId);
        int lo = 0, hi = _count - 1;
        while (lo <= hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            var k = _entries[mid].AccountKey;
            if (k == key)
            {
                var e = _entries[mid];
                entry = new PreviousEntry(e.MaterialKey, DateOnly.FromDayNumber(e.ScoreDay), DateOnly.FromDayNumber(e.ScoredDay), e.Offset);
                return true;
            }

            if (k < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        entry = default;
        return false;
    }

    /// <summary>Reads the full row of <paramref name="entry"/> back from the spill file.</summary>
    public Recommendation Read(PreviousEntry entry)
    {
        Span<byte> prefix = stackalloc byte[4];
        RandomAccess.Read(_spill.SafeFileHandle, prefix, entry.Offset);
        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        var payload = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(_spill.SafeFileHandle, payload.AsSpan(read), entry.Offset + 4 + read);
            if (n == 0)
            {
                throw new InvalidDataException($"the carry-forward spill file ends inside the row at {entry.Offset}");
            }

            read += n;
        }

        return SpilledRow.Decode(payload);
    }

    /// <inheritdoc />
    public void Dispose() => _spill.Dispose();

    /// <summary>
    /// Collects rows in any order; <see cref="Build"/> sorts them and keeps the latest <c>score_date</c> per account.
    /// Entries are gathered in fixed-size chunks, so building never holds more than twice the final array.
    /// </summary>
    public sealed class Builder : IDisposable
    {
        private const int ChunkSize = 1 << 16;
        private readonly List<IndexEntry[]> _chunks = [];
        private readonly FileStream _spill;
        private readonly SpilledRow.Writer _writer = new();
        private int _inChunk = ChunkSize;
        private long _offset;
        private long _rowsSeen;
        private bool _built;

        /// <summary>Creates a builder with a fresh spill file in the temporary folder.</summary>
        public Builder()
        {
            var path = Path.Combine(Path.GetTempPath(), $"salesintel-carry-{Guid.NewGuid():N}.bin");
            _spill = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        }

        /// <summary>Offers one earlier row; rows without a (hex) material hash cannot be carried and are only counted.</summary>
        public void Add(Recommendation row)
        {
            ArgumentNullException.ThrowIfNull(row);
            _rowsSeen++;
            if (MaterialKey(row.MaterialHash) is not { } material)
            {
                return;
            }

            var bytes = _writer.Encode(row);
            Span<byte> prefix = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(prefix, bytes.Length);
            _spill.Write(prefix);
            _spill.Write(bytes);
            if (_inChunk == ChunkSize)
            {
                _chunks.Add(new IndexEntry[ChunkSize]);
                _inChunk = 0;
            }

            _chunks[^1][_inChunk++] = new IndexEntry(AccountKey(row.AccountId), material, _offset, row.ScoreDate.DayNumber, (row.CarriedFrom ?? row.ScoreDate).DayNumber);
            _offset += 4 + bytes.Length;
        }

        /// <summary>Sorts, keeps the latest row per account, and hands the spill file to the index.</summary>
        public PreviousRecommendationIndex Build()
        {
            ObjectDisposedException.ThrowIf(_built, this);
            _built = true;
            var total = _chunks.Count == 0 ? 0 : ((_chunks.Count - 1) * ChunkSize) + _inChunk;
            var entries = new IndexEntry[total];
            for (var c = 0; c < _chunks.Count; c++)
            {
                var length = c == _chunks.Count - 1 ? _inChunk : ChunkSize;
                Array.Copy(_chunks[c], 0, entries, c * ChunkSize, length);
                _chunks[c] = [];
            }

            _chunks.Clear();
            Array.Sort(entries);

            // Sorted by key, then score date, then position: the last of each run of equal keys is the latest row.
            var count = 0;
            for (var i = 0; i < entries.Length; i++)
            {
                if (i + 1 < entries.Length && entries[i + 1].AccountKey == entries[i].AccountKey)
                {
                    continue;
                }

                entries[count++] = entries[i];
            }

            _spill.Flush();
            return new PreviousRecommendationIndex(entries, count, _spill, _rowsSeen);
        }

        /// <summary>Deletes the spill file unless <see cref="Build"/> handed it over.</summary>
        public void Dispose()
        {
            if (!_built)
            {
                _spill.Dispose();
            }
        }
    }
}

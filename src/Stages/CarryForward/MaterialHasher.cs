using System.IO.Hashing;
using System.Text;
using Apache.Arrow;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.CarryForward;

/// <summary>
/// The material hash of an account row: XXH128 of the canonical JSON (<see cref="CanonicalJson"/>, the same
/// serializer as prompts and input hashes) of every column except <c>snapshot_date</c> and the volatile columns,
/// followed by the scorer's fingerprint (scorer, model, prompt version and hash). Two rows with the same material
/// hash ask the same question of the same scorer, so the earlier answer can be carried forward. Unlike the input
/// hash, it does not change just because a day passed. Not thread-safe: one per decoding worker.
/// </summary>
public sealed class MaterialHasher
{
    private readonly int[] _columns;
    private readonly Schema _projectedSchema;
    private readonly CanonicalJson _json;
    private readonly byte[] _fingerprint;
    private RecordBatch? _source;
    private RecordBatch? _projected;

    /// <summary>Creates a hasher for rows of <paramref name="table"/> whose Arrow schema is <paramref name="arrowSchema"/>.</summary>
    public MaterialHasher(TableSchema table, Schema arrowSchema, MaterialHashSettings settings)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(arrowSchema);
        ArgumentNullException.ThrowIfNull(settings);
        var kept = new List<int>();
        for (var i = 0; i < table.Fields.Count; i++)
        {
            var name = table.Fields[i].Name;
            if (!string.Equals(name, "snapshot_date", StringComparison.OrdinalIgnoreCase) && !settings.VolatileColumns.Contains(name))
            {
                kept.Add(i);
            }
        }

        _columns = [.. kept];
        _projectedSchema = new Schema(_columns.Select(i => arrowSchema.FieldsList[i]), arrowSchema.Metadata);
        _json = new CanonicalJson(new TableSchema([.. _columns.Select(i => table.Fields[i])]));

        // A separator that canonical JSON never ends with keeps "signals + fingerprint" unambiguous.
        _fingerprint = Encoding.UTF8.GetBytes("\n" + settings.ScorerFingerprint);
    }

    /// <summary>The hash of row <paramref name="row"/> of <paramref name="batch"/>, lower-case hex (32 characters).</summary>
    public string Hash(RecordBatch batch, int row)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!ReferenceEquals(batch, _source))
        {
            // A view over the same column arrays: no data is copied, and it is not disposed (the batch owns them).
            _projected = new RecordBatch(_projectedSchema, _columns.Select(batch.Column), batch.Length);
            _source = batch;
        }

        var hash = new XxHash128();
        hash.Append(_json.Write(_projected!, row));
        hash.Append(_fingerprint);
        Span<byte> digest = stackalloc byte[16];
        hash.GetCurrentHash(digest);
        return Convert.ToHexStringLower(digest);
    }
}

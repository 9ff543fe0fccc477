using Apache.Arrow;
using SalesIntel.Stages.CarryForward;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources;

namespace SalesIntel.Stages.Decode;

/// <summary>
/// Turns Arrow batches of <c>account_signals</c> into <see cref="AccountRecord"/>s: applies the date filter,
/// rejects rows without an account id, reads the typed view and writes the canonical JSON and its hash.
/// Not thread-safe (it reuses a JSON buffer): the pipeline gives each decoding worker its own instance.
/// </summary>
public sealed class AccountRecordDecoder
{
    private readonly DateRange _dates;
    private readonly bool _keepJson;
    private readonly MaterialHashSettings? _material;
    private Schema? _boundArrowSchema;
    private AccountColumns? _columns;
    private CanonicalJson? _json;
    private MaterialHasher? _materialHasher;

    /// <summary>Creates a decoder.</summary>
    /// <param name="dates">Rows outside this range are counted and dropped (files hold every date; BigQuery filters server-side).</param>
    /// <param name="keepCanonicalJson">Materialise the canonical JSON string on each record (remote scorers need it).</param>
    /// <param name="material">When set, every record also gets its material hash (carry-forward).</param>
    public AccountRecordDecoder(DateRange dates, bool keepCanonicalJson, MaterialHashSettings? material = null)
    {
        _dates = dates;
        _keepJson = keepCanonicalJson;
        _material = material;
    }

    /// <summary>Decodes one batch. Throws <see cref="Errors.SourceException"/> when its schema is not account_signals.</summary>
    public DecodedBatch Decode(SourceBatch batch)
    {
        var rows = batch.Rows;
        Bind(rows.Schema, batch.Location);
        var columns = _columns!;
        var json = _json!;
        var records = new List<AccountRecord>(rows.Length);
        List<DeadLetter>? deadLetters = batch.Rejected.Count > 0 ? [.. batch.Rejected] : null;
        var outside = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            DateOnly? snapshot;
            try
            {
                snapshot = columns.Date(rows, columns.SnapshotDate, i);
            }
            catch (RowValueException e)
            {
                (deadLetters ??= []).Add(new DeadLetter("decode", e.Reason, e.Message, batch.PositionOf(i), SafeAccountId(columns, rows, i)));
                continue;
            }

            if (snapshot is null)
            {
                (deadLetters ??= []).Add(new DeadLetter("decode", "missing_snapshot_date", "snapshot_date is null; every row needs its partition date", batch.PositionOf(i), columns.String(rows, columns.AccountId, i)));
                continue;
            }

            if (!_dates.Contains(snapshot.Value))
            {
                outside++;
                continue;
            }

            var accountId = columns.String(rows, columns.AccountId, i);
            if (string.IsNullOrWhiteSpace(accountId))
            {
                (deadLetters ??= []).Add(new DeadLetter("decode", "missing_account_id", "account_id is null or empty", batch.PositionOf(i)));
                continue;
            }

            ReadOnlySpan<byte> canonical;
            AccountSignals signals;
            try
            {
                // The canonical JSON checks every value against BigQuery's ranges first, so the typed read after it
                // sees only values it can represent.
                canonical = json.Write(rows, i);
                signals = columns.ReadSignals(rows, i, accountId, snapshot.Value);
            }
            catch (RowValueException e)
            {
                (deadLetters ??= []).Add(new DeadLetter("decode", e.Reason, e.Message, batch.PositionOf(i), accountId));
                continue;
            }
            catch (FormatException e)
            {
                (deadLetters ??= []).Add(new DeadLetter("decode", "unserializable_value", e.Message, batch.PositionOf(i), accountId));
                continue;
            }
            catch (ArgumentException e)
            {
                // A value the writer or the typed view cannot hold that the range checks above did not name.
                (deadLetters ??= []).Add(new DeadLetter("decode", "unserializable_value", e.Message, batch.PositionOf(i), accountId));
                continue;
            }

            var record = new AccountRecord(
                signals,
                _keepJson ? System.Text.Encoding.UTF8.GetString(canonical) : null,
                CanonicalJson.Hash(canonical),
                batch.PositionOf(i));

            // After the full row serialized cleanly, the subset cannot fail.
            records.Add(_materialHasher is null ? record : record with { MaterialHash = _materialHasher.Hash(rows, i) });
        }

        return new DecodedBatch([.. records], (IReadOnlyList<DeadLetter>?)deadLetters ?? [], outside);
    }

    private static string? SafeAccountId(AccountColumns columns, RecordBatch rows, int i)
    {
        var id = columns.String(rows, columns.AccountId, i);
        return id is not null && !id.Contains('\uFFFD', StringComparison.Ordinal) ? id : null;
    }

    private void Bind(Schema schema, string location)
    {
        if (ReferenceEquals(schema, _boundArrowSchema))
        {
            return;
        }

        TableSchema table;
        try
        {
            table = BigQueryArrowTypes.ToTableSchema(schema);
        }
        catch (FormatException e)
        {
            throw new Errors.SourceException($"{location}: {e.Message}", inner: e);
        }

        AccountSchemaCheck.Validate(table, location);
        _columns = new AccountColumns(table);
        _json = new CanonicalJson(CanonicalJson.WithAccountSignalsColumns(table));
        _materialHasher = _material is null ? null : new MaterialHasher(table, schema, _material);
        _boundArrowSchema = schema;
    }
}

using System.Runtime.CompilerServices;
using System.Text.Unicode;
using CsvHelper;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.Files.Internal;

namespace SalesIntel.Stages.Sources.Files;

/// <summary>
/// Reads an RFC 4180 CSV file of accounts (header line first; BOM and CRLF accepted) into Arrow batches in
/// BigQuery's Arrow types, with the value forms of docs/FILE_FORMATS.md. A bad row (bad quoting, wrong column count,
/// an unparsable value, invalid UTF-8, a field over 1 MiB) is left out of its batch and reported in
/// <see cref="SourceBatch.Rejected"/> with its line; the header is checked once, in <see cref="OpenAsync"/>.
/// </summary>
public sealed class CsvAccountSource : IAccountSource
{
    private const int MaxRecordBytes = 64 << 20;

    private readonly string _path;
    private readonly TableSchema _configured;
    private readonly int _batchSize;
    private readonly List<CsvMalformedRecord> _malformed = [];
    private CsvReader? _csv;
    private SourcePlan? _plan;
    private RowBatchBuilder? _builder;
    private int[] _columnOfHeader = [];
    private int _accountIdHeader = -1;

    /// <summary>Creates the source; nothing is opened until <see cref="OpenAsync"/>.</summary>
    public CsvAccountSource(FileSourceOptions options)
    {
        options.Validate();
        _path = options.Path;
        _configured = options.Schema ?? AccountSignalsTable.Schema;
        _batchSize = options.BatchSize;
    }

    /// <inheritdoc />
    public async ValueTask<SourcePlan> OpenAsync(CancellationToken cancellationToken)
    {
        if (_plan is not null)
        {
            return _plan;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var stream = FileInput.OpenRead(_path, "a header line");
        var length = stream.Length;
        var csv = CsvReader.Create(stream, ReaderOptions(), leaveOpen: false);
        try
        {
            await csv.ReadHeaderAsync(cancellationToken);
            if (_malformed.Count > 0)
            {
                // The reader skips a malformed record, so a header with bad quoting would make the first data line the header.
                var bad = _malformed[0];
                throw new SourceException(
                    $"{_path}: the header line (line {bad.LineNumber}) has bad quoting: {Describe(bad.Reason)}; the first line must name the columns, e.g. {ExampleHeader()}.");
            }

            var headers = csv.Headers;
            if (headers.Count == 0)
            {
                throw new SourceException($"{_path} has no header line (it holds only blank lines); the first line must name the columns, e.g. {ExampleHeader()}.");
            }

            var (table, details) = MapHeader(headers);
            AccountSchemaCheck.Validate(table, _path);
            _builder = new RowBatchBuilder(table, _batchSize);
            _accountIdHeader = IndexOf(headers, AccountSignalsTable.KeyColumn);
            _csv = csv;
            _plan = new SourcePlan($"{_path} (CSV)", table, EstimatedRows: null, EstimatedBytes: length, details);
            return _plan;
        }
        catch (CsvFormatException e)
        {
            await csv.DisposeAsync();
            throw new SourceException($"{_path}: the header line cannot be read: {e.Message}", inner: e);
        }
        catch
        {
            await csv.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SourceBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var csv = _csv!;
        var builder = _builder!;
        var stager = new LineBatchStager(_path, builder, _batchSize);
        var lines = stager.Lines;
        var rejected = stager.Rejected;
        var sinceCheck = 0;
        while (true)
        {
            bool more;
            try
            {
                more = await csv.ReadAsync(cancellationToken);
            }
            catch (CsvFormatException e)
            {
                throw new SourceException(
                    $"{_path}: cannot read on from line {e.LineNumber}: {e.Message} This usually means a quoted field is never closed; fix the quoting.", inner: e);
            }
            catch (IOException e)
            {
                throw FileInput.ReadFailed(_path, e);
            }

            DrainMalformed(rejected);
            if (!more)
            {
                break;
            }

            stager.AddStagedBytes(ReadRecord(csv, builder, lines, rejected));
            if (stager.IsFull)
            {
                yield return stager.Take();
                cancellationToken.ThrowIfCancellationRequested();
            }
            else if (++sinceCheck == 1024)
            {
                sinceCheck = 0;
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        if (stager.HasPending)
        {
            yield return stager.Take();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_csv is not null)
        {
            await _csv.DisposeAsync();
            _csv = null;
        }
    }

    private CsvReaderOptions ReaderOptions() => new()
    {
        Separator = ',',
        DetectSeparatorHint = false,
        HasHeader = true,
        Mode = CsvMode.Rfc4180,
        AllowLineBreaksInQuotes = true,
        SkipEmptyLines = true,
        TrimWhitespace = false,
        MaxRecordSize = MaxRecordBytes,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Skip,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        MissingField = CsvMissingFieldHandling.ReturnEmpty,
        OnMalformedRecord = _malformed.Add,
        BufferSize = 1 << 18,
    };

    private (TableSchema Table, IReadOnlyList<string> Details) MapHeader(IReadOnlyList<string> headers)
    {
        var problems = new List<string>();
        var fields = new List<BqField>(_configured.Fields);
        var columnOfHeader = new int[headers.Count];
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var extras = new List<string>();
        for (var j = 0; j < headers.Count; j++)
        {
            var name = headers[j].Trim();
            if (name.Length == 0)
            {
                problems.Add($"header column {j + 1} has no name");
                continue;
            }

            if (seen.TryGetValue(name, out var first))
            {
                problems.Add($"column '{name}' appears twice (header columns {first + 1} and {j + 1})");
                continue;
            }

            seen[name] = j;
            var index = _configured.IndexOf(name);
            if (index < 0)
            {
                index = fields.Count;
                fields.Add(new BqField(name, BqType.String));
                extras.Add(name);
            }

            columnOfHeader[j] = index;
        }

        foreach (var field in _configured.Fields.Where(f => f.Required && !seen.ContainsKey(f.Name)))
        {
            problems.Add($"required column '{field.Name}' ({field.TypeName}) is missing");
        }

        if (problems.Count > 0)
        {
            var found = string.Join(",", headers.Take(30));
            throw new SourceException(
                $"{_path}: the header line does not match: {string.Join("; ", problems)}. The first line must name the columns, e.g. {ExampleHeader()} (found: {ValueShown(found)}).");
        }

        _columnOfHeader = columnOfHeader;
        var missing = _configured.Fields.Where(f => !seen.ContainsKey(f.Name)).Select(f => f.Name).ToList();
        var details = new List<string> { $"{headers.Count} columns in the header; batches of {_batchSize} rows" };
        if (missing.Count > 0)
        {
            details.Add($"not in the file, read as NULL: {string.Join(", ", missing)}");
        }

        if (extras.Count > 0)
        {
            details.Add($"not in the schema, read as STRING: {string.Join(", ", extras)}");
        }

        return (new TableSchema(fields), details);
    }

    /// <summary>Appends one record, or rejects it; returns the bytes it staged.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ReadRecord(CsvReader csv, RowBatchBuilder builder, List<long> lines, List<DeadLetter> rejected)
    {
        var raw = csv.RawRecord;
        var line = csv.LineNumber;
        if (!Utf8.IsValid(raw))
        {
            var column = FirstInvalidColumn(csv);
            Reject(csv, rejected, Rejects.InvalidUtf8,
                $"column '{column}' holds bytes that are not valid UTF-8 (shown as U+FFFD in the raw line); save the file as UTF-8", line);
            return 0;
        }

        if (csv.FieldCount != _columnOfHeader.Length)
        {
            Reject(csv, rejected, Rejects.WrongColumnCount,
                $"the line has {csv.FieldCount} fields, the header has {_columnOfHeader.Length}; quote fields that contain commas", line);
            return 0;
        }

        var columns = builder.Columns;
        for (var j = 0; j < _columnOfHeader.Length; j++)
        {
            var column = columns[_columnOfHeader[j]];
            var value = csv.GetSpan(j);
            if (value.IsEmpty)
            {
                if (!csv.GetRawSpan(j).IsEmpty && AppendEmptyText(column))
                {
                    continue;
                }

                if (column.Field.Required)
                {
                    builder.Rollback();
                    Reject(csv, rejected, Rejects.MissingRequiredValue, $"column '{column.Field.Name}' is empty; it is REQUIRED", line);
                    return 0;
                }

                column.AppendNull();
                continue;
            }

            if (value.Length > ColumnBuilder.MaxFieldBytes)
            {
                builder.Rollback();
                Reject(csv, rejected, FieldTooLarge.Reason, $"column '{column.Field.Name}' {FieldTooLarge.Describe(value.Length)}", line);
                return 0;
            }

            if (!column.TryAppendText(value, out var problem))
            {
                builder.Rollback();
                Reject(csv, rejected, Rejects.UnparsableValue, $"column '{column.Field.Name}': {problem}", line);
                return 0;
            }
        }

        builder.Commit();
        lines.Add(line);
        return raw.Length;
    }

    /// <summary>A quoted empty field (<c>""</c>) is an empty STRING or BYTES value; for other types it is NULL.</summary>
    private static bool AppendEmptyText(ColumnBuilder column)
    {
        switch (column)
        {
            case StringColumnBuilder s when column.Field.Type == BqType.String:
                s.Append([]);
                return true;
            case BinaryColumnBuilder b:
                b.Append([]);
                return true;
            default:
                return false;
        }
    }

    private void Reject(CsvReader csv, List<DeadLetter> rejected, string reason, string message, long line)
    {
        string? accountId = null;
        if (_accountIdHeader >= 0 && _accountIdHeader < csv.FieldCount)
        {
            accountId = Rejects.AccountId(csv.GetSpan(_accountIdHeader));
        }

        rejected.Add(Rejects.Create(reason, message, _path, line, accountId, csv.RawRecord));
    }

    private string FirstInvalidColumn(CsvReader csv)
    {
        for (var j = 0; j < csv.FieldCount; j++)
        {
            if (!Utf8.IsValid(csv.GetSpan(j)))
            {
                return j < _columnOfHeader.Length ? _builder!.Columns[_columnOfHeader[j]].Field.Name : $"#{j + 1}";
            }
        }

        return "?";
    }

    private void DrainMalformed(List<DeadLetter> rejected)
    {
        foreach (var m in _malformed)
        {
            rejected.Add(new DeadLetter("source", Rejects.BadQuoting,
                $"bad quoting: {Describe(m.Reason)}; quote the whole field and double the quotes inside it (\"\")",
                new SourcePosition(_path, Rejects.Line(m.LineNumber)), null, Rejects.Raw(m.RawRecord)));
        }

        _malformed.Clear();
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a quote inside an unquoted field",
        CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote of a field",
        CsvMalformedReason.UnterminatedQuote => "a quoted field that is never closed (everything to the end of the file was read as this one record)",
        CsvMalformedReason.LineBreakInQuotes => "a line break inside quotes",
        _ => reason.ToString(),
    };

    private string ExampleHeader() => string.Join(",", _configured.Fields.Take(4).Select(f => f.Name)) + ",...," + AccountSignalsTable.PartitionColumn;

    private static string ValueShown(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static int IndexOf(IReadOnlyList<string> headers, string name)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            if (string.Equals(headers[i].Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}

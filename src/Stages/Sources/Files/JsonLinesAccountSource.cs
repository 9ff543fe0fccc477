using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Unicode;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.Files.Internal;

namespace SalesIntel.Stages.Sources.Files;

/// <summary>
/// Reads JSON Lines (one object per line, keys = columns, values in the canonical JSON forms that
/// <see cref="CanonicalJson"/> writes) into Arrow batches in BigQuery's Arrow types. Blank lines are skipped. A line
/// that is not JSON, not an object, has a value of the wrong type, an unknown or duplicated key, or invalid UTF-8 is
/// left out and reported in <see cref="SourceBatch.Rejected"/> with its line number.
/// Columns: the schema's, plus keys of the first object that the schema does not know (read as STRING).
/// </summary>
public sealed class JsonLinesAccountSource : IAccountSource
{
    private const int MaxLineBytes = 64 << 20;
    private static readonly JsonReaderOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    private readonly string _path;
    private readonly TableSchema _configured;
    private readonly int _batchSize;
    private FileStream? _stream;
    private SourcePlan? _plan;
    private RowBatchBuilder? _builder;
    private PropertyLookup? _lookup;
    private int[] _seen = [];
    private int _generation;

    /// <summary>Creates the source; nothing is opened until <see cref="OpenAsync"/>.</summary>
    public JsonLinesAccountSource(FileSourceOptions options)
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
        var stream = FileInput.OpenRead(_path, "one JSON object per line");
        try
        {
            var extras = await ExtraKeysOfFirstObjectAsync(stream, cancellationToken);
            stream.Position = 0;
            var fields = new List<BqField>(_configured.Fields);
            fields.AddRange(extras.Select(name => new BqField(name, BqType.String)));
            var table = new TableSchema(fields);
            AccountSchemaCheck.Validate(table, _path);
            _builder = new RowBatchBuilder(table, _batchSize, knownColumns: _configured.Fields.Count);
            _lookup = new PropertyLookup(fields.Select(f => f.Name).ToArray());
            _seen = new int[fields.Count];
            _stream = stream;
            var details = new List<string> { $"{fields.Count} columns; batches of {_batchSize} rows" };
            if (extras.Count > 0)
            {
                details.Add($"not in the schema, read as STRING: {string.Join(", ", extras)}");
            }

            _plan = new SourcePlan($"{_path} (JSON Lines)", table, EstimatedRows: null, EstimatedBytes: stream.Length, details);
            return _plan;
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SourceBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var reader = new Utf8LineReader(_stream!, MaxLineBytes);
        var builder = _builder!;
        var stager = new LineBatchStager(_path, builder, _batchSize);
        var lines = stager.Lines;
        var rejected = stager.Rejected;
        var sinceCheck = 0;
        while (true)
        {
            var status = reader.TryReadLine(out var offset, out var length);
            if (status == LineStatus.NeedMore)
            {
                try
                {
                    await reader.FillAsync(cancellationToken);
                }
                catch (IOException e)
                {
                    throw FileInput.ReadFailed(_path, e);
                }

                continue;
            }

            if (status == LineStatus.End)
            {
                break;
            }

            if (status == LineStatus.TooLong)
            {
                rejected.Add(Rejects.Create(Rejects.RecordTooLarge,
                    $"the line is longer than {MaxLineBytes:N0} bytes ({reader.TooLongBytes:N0} at least) and was skipped unread",
                    _path, reader.LineNumber, null, reader.TooLongPreview));
            }
            else
            {
                stager.AddStagedBytes(ReadLine(reader.Buffer.Slice(offset, length), reader.LineNumber, builder, lines, rejected));
            }

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
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
            _stream = null;
        }
    }

    /// <summary>Appends one line's object, or rejects it; returns the bytes staged.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ReadLine(ReadOnlySpan<byte> line, long lineNumber, RowBatchBuilder builder, List<long> lines, List<DeadLetter> rejected)
    {
        if (line.Trim(" \t\r"u8).IsEmpty)
        {
            return 0;
        }

        if (!Utf8.IsValid(line))
        {
            rejected.Add(Rejects.Create(Rejects.InvalidUtf8,
                "the line holds bytes that are not valid UTF-8 (shown as U+FFFD in the raw line); save the file as UTF-8", _path, lineNumber, null, line));
            return 0;
        }

        var columns = builder.Columns;
        try
        {
            var reader = new Utf8JsonReader(line, JsonOptions);
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return Reject(builder, rejected, line, lineNumber, Rejects.NotAnObject, $"the line is a JSON {TokenName(reader.TokenType)}; expected an object with one key per column");
            }

            var generation = ++_generation;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var index = _lookup!.Find(ref reader);
                if (index < 0)
                {
                    return Reject(builder, rejected, line, lineNumber, Rejects.UnknownColumn,
                        $"key '{reader.GetString()}' is not a column; the columns are the schema's plus the keys of the first line");
                }

                var column = columns[index];
                if (_seen[index] == generation)
                {
                    return Reject(builder, rejected, line, lineNumber, Rejects.DuplicateKey, $"key '{column.Field.Name}' appears twice");
                }

                _seen[index] = generation;
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null && column.Field.Required)
                {
                    return Reject(builder, rejected, line, lineNumber, Rejects.MissingRequiredValue, $"column '{column.Field.Name}' is null; it is REQUIRED");
                }

                if (reader.TokenType == JsonTokenType.String && FieldTooLarge.OverLimit(ref reader) is { } size)
                {
                    return Reject(builder, rejected, line, lineNumber, FieldTooLarge.Reason, $"column '{column.Field.Name}' {FieldTooLarge.Describe(size)}");
                }

                if (!column.TryAppendJson(ref reader, line, out var problem))
                {
                    return Reject(builder, rejected, line, lineNumber, Rejects.UnparsableValue, $"column '{column.Field.Name}': {problem}");
                }
            }

            // Anything after the object makes the reader throw (one JSON value per line).
            reader.Read();
            for (var i = 0; i < columns.Length; i++)
            {
                if (_seen[i] == generation)
                {
                    continue;
                }

                if (columns[i].Field.Required)
                {
                    return Reject(builder, rejected, line, lineNumber, Rejects.MissingRequiredValue, $"key '{columns[i].Field.Name}' is missing; it is REQUIRED");
                }

                columns[i].AppendNull();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Reject(builder, rejected, line, lineNumber, Rejects.InvalidJson, $"the line is not valid JSON: {ColumnBuilder.JsonProblem(e)}");
        }

        builder.Commit();
        lines.Add(lineNumber);
        return line.Length;
    }

    private int Reject(RowBatchBuilder builder, List<DeadLetter> rejected, ReadOnlySpan<byte> line, long lineNumber, string reason, string message)
    {
        builder.Rollback();
        rejected.Add(Rejects.Create(reason, message, _path, lineNumber, FindAccountId(line), line));
        return 0;
    }

    private static string? FindAccountId(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line, JsonOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isKey = reader.ValueTextEquals(AccountSignalsTable.KeyColumn);
                reader.Read();
                if (isKey)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // The id is a courtesy for the dead letter; a line this broken has none to offer.
        }

        return null;
    }

    private async Task<List<string>> ExtraKeysOfFirstObjectAsync(FileStream stream, CancellationToken cancellationToken)
    {
        var reader = new Utf8LineReader(stream, MaxLineBytes);
        while (true)
        {
            var status = reader.TryReadLine(out var offset, out var length);
            switch (status)
            {
                case LineStatus.NeedMore:
                    await reader.FillAsync(cancellationToken);
                    continue;
                case LineStatus.End or LineStatus.TooLong:
                    return [];
            }

            var line = reader.Buffer.Slice(offset, length);
            if (!line.Trim(" \t\r"u8).IsEmpty)
            {
                return ExtraKeys(line);
            }
        }
    }

    private List<string> ExtraKeys(ReadOnlySpan<byte> line)
    {
        var extras = new List<string>();
        try
        {
            var reader = new Utf8JsonReader(line, JsonOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return extras;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (_configured.IndexOf(name) < 0 && !extras.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    extras.Add(name);
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // The first line is broken: it will be rejected when read, and it names no extra columns.
        }

        return extras;
    }

    private static string TokenName(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}

using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using CsvHelper;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Fixtures.Internal;
using SalesIntel.Stages.Formats;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks.Files;
using SalesIntel.Stages.Sources.Files;

namespace SalesIntel.Stages.Fixtures;

/// <summary>
/// Writes account rows (Arrow batches in BigQuery's Arrow types) to a file in any <see cref="FileFormat"/>, in exactly
/// the forms the file sources read back: CSV with the documented value forms, JSON Lines through
/// <see cref="CanonicalJson"/>, Arrow IPC as is. Reading a written file gives the same canonical JSON for every row.
/// </summary>
public static class AccountFileWriter
{
    /// <summary>
    /// Writes <paramref name="batches"/> to <paramref name="path"/> through a temporary file in the same folder,
    /// renamed into place only when everything is written (a cancelled or failed write leaves no file behind).
    /// Each batch is disposed once written. Returns the rows written.
    /// </summary>
    /// <exception cref="Errors.SinkException">The folder cannot be written.</exception>
    /// <exception cref="ArgumentException">A batch's columns differ from <paramref name="schema"/>.</exception>
    public static async Task<long> WriteAsync(IEnumerable<RecordBatch> batches, Schema schema, string path, FileFormat format, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var table = BigQueryArrowTypes.ToTableSchema(schema);
        using var file = TempFile.Create(path, "accounts file");
        var checker = new SchemaChecker(table);
        long rows = format switch
        {
            FileFormat.Csv => WriteCsv(batches, table, file.Stream, checker, ct),
            FileFormat.JsonLines => await WriteJsonLinesAsync(batches, table, file.Stream, checker, ct),
            FileFormat.ArrowFile => await WriteArrowAsync(batches, schema, new ArrowFileWriter(file.Stream, schema, leaveOpen: true), checker, ct),
            FileFormat.ArrowStream => await WriteArrowAsync(batches, schema, new ArrowStreamWriter(file.Stream, schema, leaveOpen: true), checker, ct),
            _ => throw new ConfigurationException($"file format '{format}' is not known; known formats: {FileFormatRegistry.Names}."),
        };
        file.Commit();
        return rows;
    }

    private static long WriteCsv(IEnumerable<RecordBatch> batches, TableSchema table, Stream stream, SchemaChecker checker, CancellationToken ct)
    {
        var options = new CsvWriterOptions
        {
            NewLine = "\n",
            Quoting = CsvQuoting.WhenNeededOrWhitespace,
            Injection = CsvInjection.None,
            FormatProvider = CultureInfo.InvariantCulture,
            BufferSize = 1 << 16,
        };
        using var csv = CsvWriter.Create(stream, options, leaveOpen: true);
        csv.WriteHeader(table.Fields.Select(f => f.Name).ToArray());
        var cells = table.Fields.Select(f => new CsvCellWriter(f)).ToArray();
        long rows = 0;
        foreach (var batch in batches)
        {
            using (batch)
            {
                ct.ThrowIfCancellationRequested();
                checker.Check(batch);
                for (var r = 0; r < batch.Length; r++)
                {
                    for (var c = 0; c < cells.Length; c++)
                    {
                        cells[c].Write(csv, batch.Column(c), batch.Length, r);
                    }

                    csv.EndRecord();
                }

                rows += batch.Length;
            }
        }

        csv.Flush();
        return rows;
    }

    private static async Task<long> WriteJsonLinesAsync(IEnumerable<RecordBatch> batches, TableSchema table, Stream stream, SchemaChecker checker, CancellationToken ct)
    {
        var json = new CanonicalJson(table);
        var buffer = new MemoryStream(1 << 20);
        long rows = 0;
        foreach (var batch in batches)
        {
            using (batch)
            {
                ct.ThrowIfCancellationRequested();
                checker.Check(batch);
                buffer.SetLength(0);
                for (var r = 0; r < batch.Length; r++)
                {
                    buffer.Write(json.Write(batch, r));
                    buffer.WriteByte((byte)'\n');
                }

                await stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
                rows += batch.Length;
            }
        }

        return rows;
    }

    private static async Task<long> WriteArrowAsync(IEnumerable<RecordBatch> batches, Schema schema, ArrowStreamWriter writer, SchemaChecker checker, CancellationToken ct)
    {
        using (writer)
        {
            long rows = 0;
            await writer.WriteStartAsync(ct);
            foreach (var batch in batches)
            {
                using (batch)
                {
                    ct.ThrowIfCancellationRequested();
                    checker.Check(batch);

                    // The writer's schema object is used for every batch, so files are byte-identical whoever built the batches.
                    // Not disposed: it shares the arrays the outer using disposes.
                    var aligned = new RecordBatch(schema, batch.Arrays, batch.Length);
                    await writer.WriteRecordBatchAsync(aligned, ct);
                    rows += batch.Length;
                }
            }

            await writer.WriteEndAsync(ct);
            return rows;
        }
    }

    /// <summary>Checks each distinct batch schema once against the declared one (names and BigQuery types).</summary>
    private sealed class SchemaChecker(TableSchema expected)
    {
        private readonly string[] _expected = expected.Fields.Select(f => $"{f.Name} {f.TypeName}").ToArray();
        private Schema? _checked;

        public void Check(RecordBatch batch)
        {
            if (ReferenceEquals(batch.Schema, _checked))
            {
                return;
            }

            var actual = BigQueryArrowTypes.ToTableSchema(batch.Schema).Fields.Select(f => $"{f.Name} {f.TypeName}").ToArray();
            if (!actual.SequenceEqual(_expected))
            {
                throw new ArgumentException($"a batch has the columns ({string.Join(", ", actual)}), not the declared ({string.Join(", ", _expected)})", nameof(batch));
            }

            _checked = batch.Schema;
        }
    }
}

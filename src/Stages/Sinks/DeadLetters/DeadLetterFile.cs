using System.Text.Encodings.Web;
using System.Text.Json;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sinks.DeadLetters;

/// <summary>
/// The dead-letter side exit: one JSON object per line with stage, reason, message, source position, account id and
/// the raw input (truncated). Written to a temporary file and renamed on <see cref="Complete"/>, like the output, and
/// always completed, even on a failed or cancelled run, because it explains what went wrong. Thread-safe.
/// </summary>
public sealed class DeadLetterFile : IDeadLetterWriter, IDisposable
{
    private const int MaxRawChars = 4096;
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Lock _gate = new();
    private readonly Sinks.Files.TempFile _file;
    private readonly Utf8JsonWriter _json;
    private long _count;
    private bool _completed;

    private DeadLetterFile(string path, Sinks.Files.TempFile file)
    {
        Path = path;
        _file = file;
        _json = new Utf8JsonWriter(file.Stream, WriterOptions);
    }

    /// <summary>Where the dead letters go.</summary>
    public string Path { get; }

    /// <summary>Dead letters written so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Opens the file (the folder must be writable; the error says so otherwise).</summary>
    public static DeadLetterFile Create(string path) => new(path, Sinks.Files.TempFile.Create(path, "dead-letter file"));

    /// <summary>Appends dead letters.</summary>
    public void Write(IEnumerable<DeadLetter> letters)
    {
        lock (_gate)
        {
            foreach (var d in letters)
            {
                _json.Reset();
                _json.WriteStartObject();
                _json.WriteString("stage", d.Stage);
                _json.WriteString("reason", d.Reason);
                _json.WriteString("message", d.Message);
                _json.WriteString("location", d.Position.Location);
                _json.WriteString("position", d.Position.Detail);
                _json.WriteString("account_id", d.AccountId);
                _json.WriteString("raw", d.Raw is { Length: > MaxRawChars } raw ? raw[..MaxRawChars] + "…(truncated)" : d.Raw);
                _json.WriteEndObject();
                _json.Flush();
                _file.Stream.WriteByte((byte)'\n');
                _count++;
            }
        }
    }

    /// <summary>Publishes the file.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _json.Dispose();
            _file.Commit();
            _completed = true;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_completed)
        {
            _json.Dispose();
        }

        _file.Dispose();
    }
}

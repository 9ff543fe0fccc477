using System.Text;
using System.Text.Unicode;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>The reasons and pieces of the dead letters file sources write.</summary>
internal static class Rejects
{
    public const string BadQuoting = "bad_quoting";
    public const string WrongColumnCount = "wrong_column_count";
    public const string UnparsableValue = "unparsable_value";
    public const string MissingRequiredValue = "missing_required_value";
    public const string InvalidUtf8 = "invalid_utf8";
    public const string InvalidJson = "invalid_json";
    public const string NotAnObject = "not_an_object";
    public const string UnknownColumn = "unknown_column";
    public const string DuplicateKey = "duplicate_key";
    public const string RecordTooLarge = "record_too_large";

    private const int MaxRawBytes = 1000;

    public static DeadLetter Create(string reason, string message, string location, long line, string? accountId, ReadOnlySpan<byte> raw) =>
        new("source", reason, message, new SourcePosition(location, Line(line)), accountId, Raw(raw));

    public static string Line(long line) => "line " + line.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The raw record for the dead letter: at most 1000 bytes, bad UTF-8 shown as U+FFFD.</summary>
    public static string Raw(ReadOnlySpan<byte> raw)
    {
        if (raw.Length <= MaxRawBytes)
        {
            return Encoding.UTF8.GetString(raw);
        }

        return Encoding.UTF8.GetString(raw[..MaxRawBytes]) + $"… ({raw.Length:N0} bytes)";
    }

    public static string Raw(string raw) => raw.Length <= MaxRawBytes ? raw : raw[..MaxRawBytes] + $"… ({raw.Length:N0} characters)";

    /// <summary>An account id worth quoting: valid UTF-8, not empty, not absurdly long.</summary>
    public static string? AccountId(ReadOnlySpan<byte> value) =>
        value.IsEmpty || value.Length > 200 || !Utf8.IsValid(value) ? null : Encoding.UTF8.GetString(value);
}

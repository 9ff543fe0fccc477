using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using SalesIntel.Stages.Formats.Text;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>
/// Builds one Arrow column in BigQuery's Arrow type for its <see cref="BqField"/>, from CSV text or from a JSON value.
/// Values are staged in reusable managed buffers and copied to native Arrow memory by <see cref="Build"/>.
/// <see cref="Truncate"/> takes back a partly appended row, so a row that fails on its 10th column leaves no trace.
/// </summary>
internal abstract class ColumnBuilder
{
    /// <summary>Fields longer than this are refused (dead letter <c>field_too_large</c>) instead of being loaded.</summary>
    public const int MaxFieldBytes = 1 << 20;

    protected static readonly JsonReaderOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    protected ColumnBuilder(BqField field) => Field = field;

    public BqField Field { get; }

    public abstract int Length { get; }

    /// <summary>Appends SQL NULL (an empty array for ARRAY columns, which BigQuery never holds as NULL).</summary>
    public abstract void AppendNull();

    /// <summary>Parses one non-empty CSV cell in the documented text form of the column's type.</summary>
    public abstract bool TryAppendText(ReadOnlySpan<byte> text, [NotNullWhen(false)] out string? problem);

    /// <summary>Appends the JSON value the reader is positioned on (its first token); <paramref name="json"/> is the reader's whole input.</summary>
    public abstract bool TryAppendJson(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, [NotNullWhen(false)] out string? problem);

    /// <summary>Drops values past <paramref name="length"/>; does nothing when the column is not that long.</summary>
    public abstract void Truncate(int length);

    /// <summary>Moves the staged values into native Arrow memory and resets the builder for the next batch.</summary>
    public abstract ArrayData Build(ArrowBufferFactory buffers);

    public void AppendNulls(int count)
    {
        for (var i = 0; i < count; i++)
        {
            AppendNull();
        }
    }

    public static ColumnBuilder Create(BqField field, int capacity, bool lenientText = false)
    {
        if (field.Repeated)
        {
            return new ListColumnBuilder(field, capacity);
        }

        return field.Type switch
        {
            BqType.String or BqType.Geography or BqType.Json => new StringColumnBuilder(field, capacity, lenientText),
            BqType.Bytes => new BinaryColumnBuilder(field, capacity),
            BqType.Int64 => new Int64ColumnBuilder(field, capacity),
            BqType.Float64 => new Float64ColumnBuilder(field, capacity),
            BqType.Numeric => new Decimal128ColumnBuilder(field, capacity),
            BqType.BigNumeric => new Decimal256ColumnBuilder(field, capacity),
            BqType.Bool => new BoolColumnBuilder(field, capacity),
            BqType.Date => new Date32ColumnBuilder(field, capacity),
            BqType.DateTime or BqType.Timestamp or BqType.Time => new MicrosColumnBuilder(field, capacity),
            BqType.Struct => new StructColumnBuilder(field, capacity),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field.Type, "no Arrow builder for this BigQuery type"),
        };
    }

    /// <summary>The value as shown in a message: at most 60 characters, bad UTF-8 bytes as U+FFFD.</summary>
    public static string Show(ReadOnlySpan<byte> value)
    {
        const int Max = 60;
        var text = Encoding.UTF8.GetString(value.Length > Max * 4 ? value[..(Max * 4)] : value);
        return text.Length > Max ? text[..Max] + "…" : text;
    }

    /// <summary>"'abc' is not a valid INT64; expected a whole number such as 42".</summary>
    protected string NotValid(ReadOnlySpan<byte> value, string? detail = null) =>
        detail is null
            ? $"'{Show(value)}' is not a valid {Field.TypeName}; expected {ValueForms.Expected(Field)}"
            : $"'{Show(value)}' {detail}";

    protected string WrongJsonType(ref Utf8JsonReader reader) =>
        $"a JSON {Describe(reader.TokenType)} is not a valid {Field.TypeName}; expected {ValueForms.ExpectedJson(Field)}";

    protected static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>The raw bytes of the current JSON value (a whole object or array included), as they are in the input.</summary>
    protected static ReadOnlySpan<byte> RawValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }

        return json[start..(int)reader.BytesConsumed];
    }

    /// <summary>The unescaped UTF-8 of the current JSON string token.</summary>
    protected static ReadOnlySpan<byte> Unescaped(ref Utf8JsonReader reader, ref byte[]? scratch)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        var needed = reader.ValueSpan.Length;
        if (scratch is null || scratch.Length < needed)
        {
            scratch = new byte[Math.Max(needed, 256)];
        }

        var written = reader.CopyString(scratch);
        return scratch.AsSpan(0, written);
    }

    /// <summary>Reads a whole CSV cell as one JSON value and appends it (ARRAY and STRUCT cells).</summary>
    protected bool TryAppendJsonText(ReadOnlySpan<byte> text, [NotNullWhen(false)] out string? problem)
    {
        try
        {
            var reader = new Utf8JsonReader(text, JsonOptions);
            if (!reader.Read())
            {
                problem = NotValid(text);
                return false;
            }

            if (!TryAppendJson(ref reader, text, out problem))
            {
                return false;
            }

            if (reader.Read())
            {
                problem = NotValid(text, "has text after the JSON value");
                return false;
            }

            return true;
        }
        catch (JsonException e)
        {
            problem = NotValid(text, $"is not valid JSON ({JsonProblem(e)}); expected {ValueForms.Expected(Field)}");
            return false;
        }
    }

    /// <summary>The JSON reader's complaint without the location suffix it adds.</summary>
    public static string JsonProblem(Exception e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}

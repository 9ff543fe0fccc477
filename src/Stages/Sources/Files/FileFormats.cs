using SalesIntel.Stages.Errors;

namespace SalesIntel.Stages.Sources.Files;

/// <summary>Tells a file's format from its extension, or from a format name given on the command line.</summary>
public static class FileFormats
{
    private static readonly (string Extension, FileFormat Format)[] Extensions =
    [
        (".csv", FileFormat.Csv),
        (".jsonl", FileFormat.JsonLines),
        (".ndjson", FileFormat.JsonLines),
        (".json", FileFormat.JsonLines),
        (".arrow", FileFormat.ArrowFile),
        (".feather", FileFormat.ArrowFile),
        (".ipc", FileFormat.ArrowFile),
        (".arrows", FileFormat.ArrowStream),
    ];

    /// <summary>The format names <see cref="TryParse"/> accepts, for help texts.</summary>
    public const string Names = "csv, jsonl, arrow, arrows";

    /// <summary>The format of <paramref name="path"/> from its extension (case-insensitive).</summary>
    /// <exception cref="ConfigurationException">The extension is not one of the known ones; the message lists them and the override options.</exception>
    public static FileFormat FromPath(string path)
    {
        var extension = Path.GetExtension(path);
        foreach (var (known, format) in Extensions)
        {
            if (string.Equals(extension, known, StringComparison.OrdinalIgnoreCase))
            {
                return format;
            }
        }

        var shown = string.IsNullOrEmpty(extension) ? "no extension" : $"the extension '{extension}'";
        throw new ConfigurationException(
            $"cannot tell the format of '{path}' from {shown}; known extensions: {string.Join(", ", Extensions.Select(e => e.Extension))}. "
            + $"Rename the file or name the format with --source-format / --sink-format ({Names}).");
    }

    /// <summary>Parses a format name: <c>csv</c>, <c>jsonl</c> (or <c>ndjson</c>, <c>json</c>), <c>arrow</c> (or <c>feather</c>, <c>ipc</c>), <c>arrows</c>.</summary>
    public static bool TryParse(string name, out FileFormat format)
    {
        format = default;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        var key = "." + name.Trim().TrimStart('.');
        foreach (var (known, candidate) in Extensions)
        {
            if (string.Equals(key, known, StringComparison.OrdinalIgnoreCase))
            {
                format = candidate;
                return true;
            }
        }

        return false;
    }

    /// <summary>How a format is named in plans and messages, e.g. <c>CSV</c>, <c>Arrow IPC file</c>.</summary>
    public static string DisplayName(FileFormat format) => format switch
    {
        FileFormat.Csv => "CSV",
        FileFormat.JsonLines => "JSON Lines",
        FileFormat.ArrowFile => "Arrow IPC file",
        FileFormat.ArrowStream => "Arrow IPC stream",
        _ => format.ToString(),
    };
}

using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Sinks;
using SalesIntel.Stages.Sinks.Files;
using SalesIntel.Stages.Sources;
using SalesIntel.Stages.Sources.Files;

namespace SalesIntel.Stages.Formats;

/// <summary>
/// The one place that knows the file formats: names and extensions to formats, and formats to source and sink
/// factories. Adding a format is one entry here (plus its enum value, source and sink); a format without an entry
/// fails loudly with the list of known ones instead of falling through to a default.
/// </summary>
public static class FileFormatRegistry
{
    /// <summary>Every format, in the order help texts list them.</summary>
    public static IReadOnlyList<FileFormatEntry> All { get; } =
    [
        new(FileFormat.Csv, "csv", [".csv"], "CSV", o => new CsvAccountSource(o), (p, o) => new RecommendationCsvSink(p, o.GuardCsvFormulas)),
        new(FileFormat.JsonLines, "jsonl", [".jsonl", ".ndjson", ".json"], "JSON Lines", o => new JsonLinesAccountSource(o), (p, _) => new RecommendationJsonLinesSink(p)),
        new(FileFormat.ArrowFile, "arrow", [".arrow", ".feather", ".ipc"], "Arrow IPC file", o => new ArrowAccountSource(o), (p, _) => new RecommendationArrowSink(p, fileFormat: true)),
        new(FileFormat.ArrowStream, "arrows", [".arrows"], "Arrow IPC stream", o => new ArrowAccountSource(o), (p, _) => new RecommendationArrowSink(p, fileFormat: false)),
    ];

    /// <summary>The format names, for help texts and messages: <c>csv, jsonl, arrow, arrows</c>.</summary>
    public static string Names { get; } = string.Join(", ", All.Select(e => e.Name));

    /// <summary>Every known extension, for messages: <c>.csv, .jsonl, ...</c>.</summary>
    public static string KnownExtensions { get; } = string.Join(", ", All.SelectMany(e => e.Extensions));

    /// <summary>The entry of <paramref name="format"/>.</summary>
    /// <exception cref="ConfigurationException">No entry: the message names the value and lists the known formats.</exception>
    public static FileFormatEntry Get(FileFormat format) =>
        All.FirstOrDefault(e => e.Format == format)
        ?? throw new ConfigurationException($"file format '{format}' is not known; known formats: {Names}.");

    /// <summary>The format of <paramref name="path"/> from its extension (case-insensitive).</summary>
    /// <exception cref="ConfigurationException">The extension is not one of the known ones; the message lists them and the override options.</exception>
    public static FileFormat FromPath(string path)
    {
        var extension = Path.GetExtension(path);
        if (Find(extension) is { } entry)
        {
            return entry.Format;
        }

        var shown = string.IsNullOrEmpty(extension) ? "no extension" : $"the extension '{extension}'";
        throw new ConfigurationException(
            $"cannot tell the format of '{path}' from {shown}; known extensions: {KnownExtensions}. "
            + $"Rename the file or name the format with --source-format / --sink-format ({Names}).");
    }

    /// <summary>Parses a format name or an extension's name: <c>csv</c>, <c>jsonl</c> (or <c>ndjson</c>, <c>json</c>), <c>arrow</c> (or <c>feather</c>, <c>ipc</c>), <c>arrows</c>.</summary>
    public static bool TryParse(string? name, out FileFormat format)
    {
        format = default;
        if (string.IsNullOrWhiteSpace(name) || Find("." + name.Trim().TrimStart('.')) is not { } entry)
        {
            return false;
        }

        format = entry.Format;
        return true;
    }

    /// <summary>The account source for <paramref name="options"/> (validated first).</summary>
    /// <exception cref="ConfigurationException">A bad option, an unknown extension or an unknown format.</exception>
    public static IAccountSource OpenSource(FileSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Get(options.ResolvedFormat).OpenSource(options);
    }

    /// <summary>The recommendation sink writing <paramref name="path"/> in <paramref name="format"/> (the path's extension when null).</summary>
    /// <exception cref="ConfigurationException">An unknown extension or an unknown format.</exception>
    public static IRecommendationSink CreateSink(string path, FileFormat? format = null, FileSinkOptions? options = null) =>
        Get(format ?? FromPath(path)).CreateSink(path, options ?? FileSinkOptions.Default);

    private static FileFormatEntry? Find(string extension) =>
        All.FirstOrDefault(e => e.Extensions.Any(known => string.Equals(known, extension, StringComparison.OrdinalIgnoreCase)));
}

using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Formats;

namespace SalesIntel.Stages.Sources.Files;

/// <summary>Tells a file's format from its extension, or from a format name given on the command line (answered by <see cref="FileFormatRegistry"/>).</summary>
public static class FileFormats
{
    /// <summary>The format names <see cref="TryParse"/> accepts, for help texts.</summary>
    public static string Names => FileFormatRegistry.Names;

    /// <summary>The format of <paramref name="path"/> from its extension (case-insensitive).</summary>
    /// <exception cref="ConfigurationException">The extension is not one of the known ones; the message lists them and the override options.</exception>
    public static FileFormat FromPath(string path) => FileFormatRegistry.FromPath(path);

    /// <summary>Parses a format name: <c>csv</c>, <c>jsonl</c> (or <c>ndjson</c>, <c>json</c>), <c>arrow</c> (or <c>feather</c>, <c>ipc</c>), <c>arrows</c>.</summary>
    public static bool TryParse(string name, out FileFormat format) => FileFormatRegistry.TryParse(name, out format);

    /// <summary>How a format is named in plans and messages, e.g. <c>CSV</c>, <c>Arrow IPC file</c>.</summary>
    /// <exception cref="ConfigurationException">The format has no registry entry.</exception>
    public static string DisplayName(FileFormat format) => FileFormatRegistry.Get(format).DisplayName;
}

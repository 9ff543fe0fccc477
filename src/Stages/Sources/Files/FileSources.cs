using SalesIntel.Stages.Formats;

namespace SalesIntel.Stages.Sources.Files;

/// <summary>Opens the account source for a file: CSV, JSON Lines, or Arrow IPC (file or stream).</summary>
public static class FileSources
{
    /// <summary>
    /// The source for <paramref name="options"/>; nothing is read until <see cref="IAccountSource.OpenAsync"/>.
    /// Throws <see cref="Errors.ConfigurationException"/> for bad options, an unknown extension or an unknown format.
    /// </summary>
    public static IAccountSource Open(FileSourceOptions options) => FileFormatRegistry.OpenSource(options);
}

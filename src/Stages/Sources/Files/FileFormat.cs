namespace SalesIntel.Stages.Sources.Files;

/// <summary>The account file formats SalesIntel reads and writes.</summary>
public enum FileFormat
{
    /// <summary>RFC 4180 CSV with a header line; value forms in docs/FILE_FORMATS.md.</summary>
    Csv,

    /// <summary>JSON Lines: one object per line, in the canonical JSON value forms.</summary>
    JsonLines,

    /// <summary>Arrow IPC file (random access, with a footer): <c>.arrow</c>, <c>.feather</c>, <c>.ipc</c>.</summary>
    ArrowFile,

    /// <summary>Arrow IPC stream: <c>.arrows</c>.</summary>
    ArrowStream,
}

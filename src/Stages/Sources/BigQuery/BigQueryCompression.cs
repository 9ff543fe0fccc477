namespace SalesIntel.Stages.Sources.BigQuery;

/// <summary>The Arrow buffer compression the read session asks BigQuery for (Arrow-native IPC body compression).</summary>
public enum BigQueryCompression
{
    /// <summary>Uncompressed Arrow buffers.</summary>
    None,

    /// <summary>LZ4 frame: cheap to decode, roughly halves typical account rows on the wire.</summary>
    Lz4Frame,

    /// <summary>Zstandard: smaller than LZ4, more CPU to decode.</summary>
    Zstd,
}

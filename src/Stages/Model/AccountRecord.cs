namespace SalesIntel.Stages.Model;

/// <summary>A decoded input row: the typed signals, the canonical JSON the hash was taken of, and where it came from.</summary>
/// <param name="Signals">The typed view for scorers.</param>
/// <param name="CanonicalJson">The canonical JSON of the whole row; null when no scorer asked for it (saves an allocation per row).</param>
/// <param name="InputHash">Hex XXH128 of the canonical JSON UTF-8 bytes: the same row always hashes the same.</param>
/// <param name="Position">Source position, for dead letters.</param>
public sealed record AccountRecord(AccountSignals Signals, string? CanonicalJson, string InputHash, SourcePosition Position)
{
    /// <summary>Hex XXH128 of what the answer depends on (see <see cref="CarryForward.MaterialHasher"/>); null when the decoder was given no material-hash settings.</summary>
    public string? MaterialHash { get; init; }
}

namespace SalesIntel.Stages.Model;

/// <summary>Where a row came from, precise enough to find it again: a file and line, or a stream/batch and row index.</summary>
/// <param name="Location">The file path or stream name.</param>
/// <param name="Detail">Line, batch and row, or stream offset, e.g. <c>line 17</c> or <c>batch 3 row 12</c>.</param>
public readonly record struct SourcePosition(string Location, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{Location} {Detail}";
}

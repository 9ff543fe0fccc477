using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sources.Files;

/// <summary>Which account file to read and how.</summary>
/// <param name="Path">The file to read.</param>
/// <param name="Format">The format; defaults to the one its extension names (see <see cref="FileFormats.FromPath"/>).</param>
/// <param name="Schema">
/// The columns of CSV and JSON Lines files, which carry no types. Defaults to <see cref="AccountSignalsTable.Schema"/>.
/// Columns of the file not in the schema are read as STRING; schema columns missing from the file read as NULL.
/// Arrow files carry their own schema and ignore this.
/// </param>
/// <param name="BatchSize">Rows per yielded batch. Defaults to 8192; 1 to 1,048,576.</param>
public sealed record FileSourceOptions(string Path, FileFormat? Format = null, TableSchema? Schema = null, int BatchSize = 8192)
{
    /// <summary>The largest <see cref="BatchSize"/>.</summary>
    public const int MaxBatchSize = 1 << 20;

    /// <summary>Throws one <see cref="ConfigurationException"/> naming every bad value.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Path))
        {
            problems.Add("--source is empty; name the account file to read");
        }

        if (BatchSize is < 1 or > MaxBatchSize)
        {
            problems.Add($"batch size {BatchSize} must be between 1 and {MaxBatchSize}");
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(string.Join("; ", problems) + ".");
        }
    }

    /// <summary>The format to read: <see cref="Format"/> or the one the extension names.</summary>
    public FileFormat ResolvedFormat => Format ?? FileFormats.FromPath(Path);
}

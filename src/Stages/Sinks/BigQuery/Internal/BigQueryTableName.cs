using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>A table named as <c>bq://PROJECT.DATASET.TABLE</c>, and the resource names the Storage API wants.</summary>
internal sealed partial record BigQueryTableName(string Project, string Dataset, string Table)
{
    private const string Scheme = "bq://";

    /// <summary><c>projects/{p}/datasets/{d}/tables/{t}</c>.</summary>
    public string ResourceName => $"projects/{Project}/datasets/{Dataset}/tables/{Table}";

    /// <summary>The table's default stream, whose FULL view carries the table schema.</summary>
    public string DefaultStream => ResourceName + "/streams/_default";

    /// <summary>The URI form the user typed.</summary>
    public override string ToString() => $"{Scheme}{Project}.{Dataset}.{Table}";

    /// <summary>
    /// Parses <c>bq://PROJECT.DATASET.TABLE</c>. A domain-scoped project (<c>example.com:my-project</c>) holds a dot,
    /// so the dataset and table are the last two parts.
    /// </summary>
    public static bool TryParse(string? uri, [NotNullWhen(true)] out BigQueryTableName? name, out string problem)
    {
        name = null;
        problem = "";
        var text = uri?.Trim() ?? "";
        if (!text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            problem = $"--sink '{uri}' is not a BigQuery table: write it as bq://PROJECT.DATASET.TABLE";
            return false;
        }

        var path = text[Scheme.Length..];
        var lastDot = path.LastIndexOf('.');
        var datasetDot = lastDot > 0 ? path.LastIndexOf('.', lastDot - 1) : -1;
        if (datasetDot <= 0 || lastDot == path.Length - 1)
        {
            problem = $"--sink '{uri}' must name project, dataset and table: bq://PROJECT.DATASET.TABLE";
            return false;
        }

        var project = path[..datasetDot];
        var dataset = path[(datasetDot + 1)..lastDot];
        var table = path[(lastDot + 1)..];
        if (!ProjectPattern().IsMatch(project) || !DatasetPattern().IsMatch(dataset) || !TablePattern().IsMatch(table))
        {
            problem = $"--sink '{uri}' has an invalid project '{project}', dataset '{dataset}' or table '{table}' " +
                "(project: letters, digits, '-', optional 'domain:' prefix; dataset: letters, digits, '_'; table: letters, digits, '_', '-')";
            return false;
        }

        name = new BigQueryTableName(project, dataset, table);
        return true;
    }

    [GeneratedRegex(@"^([a-z0-9.\-]+:)?[a-z][a-z0-9\-]{4,61}[a-z0-9]$")]
    private static partial Regex ProjectPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_]{1,1024}$")]
    private static partial Regex DatasetPattern();

    [GeneratedRegex(@"^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd}]{1,1024}$")]
    private static partial Regex TablePattern();
}

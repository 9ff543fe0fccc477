using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using SalesIntel.Stages.Errors;

namespace SalesIntel.Stages.Sources.BigQuery;

/// <summary>
/// A BigQuery table named the way Vertex AI names BigQuery URIs: <c>bq://PROJECT.DATASET.TABLE</c>. The project may be
/// domain-scoped (<c>bq://example.com:proj.dataset.table</c>), so the dataset and table are the last two dot-separated parts.
/// </summary>
/// <param name="ProjectId">The project that owns the table.</param>
/// <param name="DatasetId">The dataset.</param>
/// <param name="TableId">The table (no partition decorator: partitions are chosen with the date options).</param>
public sealed partial record BigQueryTableReference(string ProjectId, string DatasetId, string TableId)
{
    /// <summary>The URI scheme of a BigQuery source.</summary>
    public const string Scheme = "bq://";

    /// <summary>The resource name the Storage API expects: <c>projects/p/datasets/d/tables/t</c>.</summary>
    public string ResourceName => $"projects/{ProjectId}/datasets/{DatasetId}/tables/{TableId}";

    /// <summary>The URI form, <c>bq://p.d.t</c>.</summary>
    public string Uri => $"{Scheme}{ProjectId}.{DatasetId}.{TableId}";

    /// <summary>True when <paramref name="source"/> uses the <c>bq://</c> scheme (whether or not it is valid).</summary>
    public static bool IsBigQueryUri(string? source) => source is not null && source.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <c>bq://PROJECT.DATASET.TABLE</c>; <paramref name="problem"/> names what is wrong otherwise.</summary>
    public static bool TryParse(string? source, [NotNullWhen(true)] out BigQueryTableReference? table, out string problem)
    {
        table = null;
        problem = "";
        const string Form = "expected bq://PROJECT.DATASET.TABLE, e.g. bq://my-project.sales.account_signals";
        if (!IsBigQueryUri(source))
        {
            problem = $"--source '{source}' is not a BigQuery table: {Form}";
            return false;
        }

        var parts = source![Scheme.Length..].Split('.');
        if (parts.Length < 3)
        {
            problem = $"--source '{source}' has {parts.Length} dot-separated part(s): {Form}";
            return false;
        }

        var project = string.Join('.', parts[..^2]);
        var dataset = parts[^2];
        var tableId = parts[^1];
        var problems = new List<string>();
        if (!ProjectPattern().IsMatch(project))
        {
            problems.Add($"project '{project}' is not a project id (6-30 lower-case letters, digits and hyphens, starting with a letter; optionally 'domain:' first)");
        }

        if (!DatasetPattern().IsMatch(dataset))
        {
            problems.Add($"dataset '{dataset}' may hold only letters, digits and underscores (1-1024)");
        }

        if (tableId.Contains('$', StringComparison.Ordinal))
        {
            problems.Add($"table '{tableId}' has a partition decorator: name the table only and choose partitions with --date or --from/--to");
        }
        else if (!TablePattern().IsMatch(tableId))
        {
            problems.Add($"table '{tableId}' may hold only letters, marks, digits, underscores, dashes and spaces (1-1024)");
        }

        if (problems.Count > 0)
        {
            problem = $"--source '{source}': {string.Join("; ", problems)}";
            return false;
        }

        table = new BigQueryTableReference(project, dataset, tableId);
        return true;
    }

    /// <summary>Parses <c>bq://PROJECT.DATASET.TABLE</c> or throws <see cref="ConfigurationException"/> naming the problem.</summary>
    public static BigQueryTableReference Parse(string source) =>
        TryParse(source, out var table, out var problem) ? table : throw new ConfigurationException(problem);

    /// <inheritdoc />
    public override string ToString() => Uri;

    [GeneratedRegex(@"^([a-z][a-z0-9.\-]*[a-z0-9]:)?[a-z][a-z0-9\-]{4,28}[a-z0-9]$")]
    private static partial Regex ProjectPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_]{1,1024}$")]
    private static partial Regex DatasetPattern();

    [GeneratedRegex(@"^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}]{1,1024}$")]
    private static partial Regex TablePattern();
}

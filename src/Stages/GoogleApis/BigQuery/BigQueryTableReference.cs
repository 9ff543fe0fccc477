using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using SalesIntel.Stages.Errors;

namespace SalesIntel.Stages.GoogleApis.BigQuery;

/// <summary>
/// A BigQuery table named the way Vertex AI names BigQuery URIs: <c>bq://PROJECT.DATASET.TABLE</c>. The project may be
/// domain-scoped (<c>bq://example.com:proj.dataset.table</c>), so the dataset and table are the last two dot-separated parts.
/// One parser with BigQuery's naming rules for every place that names a table (source, sink, dead letters, ledger), so a
/// name accepted at start-up is the name used for the whole run.
/// </summary>
/// <remarks>
/// The rules, from BigQuery's documentation: a project id is 6-30 lower-case letters, digits and hyphens, starting with
/// a letter and not ending with a hyphen (legacy projects may carry a <c>domain:</c> prefix); a dataset name holds
/// letters, digits and underscores, at most 1024 characters; a table name holds Unicode letters, marks, numbers,
/// connectors (<c>_</c>), dashes and spaces (categories L, M, N, Pc, Pd, Zs), at most 1024 characters.
/// </remarks>
/// <param name="ProjectId">The project that owns the table.</param>
/// <param name="DatasetId">The dataset.</param>
/// <param name="TableId">The table (no partition decorator: partitions are chosen with the date options).</param>
public sealed partial record BigQueryTableReference(string ProjectId, string DatasetId, string TableId)
{
    /// <summary>The URI scheme of a BigQuery table.</summary>
    public const string Scheme = "bq://";

    private const string Form = "expected bq://PROJECT.DATASET.TABLE, e.g. bq://my-project.sales.account_signals";

    /// <summary>The resource name the Storage API expects: <c>projects/p/datasets/d/tables/t</c>.</summary>
    public string ResourceName => $"projects/{ProjectId}/datasets/{DatasetId}/tables/{TableId}";

    /// <summary>The table's default write stream, whose FULL view carries the table schema.</summary>
    public string DefaultStream => ResourceName + "/streams/_default";

    /// <summary>The URI form, <c>bq://p.d.t</c>.</summary>
    public string Uri => $"{Scheme}{ProjectId}.{DatasetId}.{TableId}";

    /// <summary>True when <paramref name="location"/> uses the <c>bq://</c> scheme (whether or not it is valid).</summary>
    public static bool IsBigQueryUri(string? location) => location is not null && location.TrimStart().StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="projectId"/> is a valid project id (optionally domain-scoped).</summary>
    public static bool IsProjectId(string? projectId) => projectId is not null && ProjectPattern().IsMatch(projectId);

    /// <summary>Parses <c>bq://PROJECT.DATASET.TABLE</c> given as <c>--source</c>; <paramref name="problem"/> names what is wrong otherwise.</summary>
    public static bool TryParse(string? location, [NotNullWhen(true)] out BigQueryTableReference? table, out string problem) =>
        TryParse(location, "--source", out table, out problem);

    /// <summary>
    /// Parses <c>bq://PROJECT.DATASET.TABLE</c>; <paramref name="problem"/> names what is wrong, quoting
    /// <paramref name="optionName"/> and the value, otherwise. Surrounding white space is ignored.
    /// </summary>
    public static bool TryParse(string? location, string optionName, [NotNullWhen(true)] out BigQueryTableReference? table, out string problem)
    {
        table = null;
        problem = "";
        if (!IsBigQueryUri(location))
        {
            problem = $"{optionName} '{location}' is not a BigQuery table: {Form}";
            return false;
        }

        var parts = location!.Trim()[Scheme.Length..].Split('.');
        if (parts.Length < 3)
        {
            problem = $"{optionName} '{location}' has {parts.Length} dot-separated part(s): {Form}";
            return false;
        }

        var project = string.Join('.', parts[..^2]);
        var dataset = parts[^2];
        var tableId = parts[^1];
        var problems = new List<string>();
        if (!IsProjectId(project))
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
            problem = $"{optionName} '{location}': {string.Join("; ", problems)}";
            return false;
        }

        table = new BigQueryTableReference(project, dataset, tableId);
        return true;
    }

    /// <summary>Parses <c>bq://PROJECT.DATASET.TABLE</c> or throws <see cref="ConfigurationException"/> naming the problem.</summary>
    public static BigQueryTableReference Parse(string location, string optionName = "--source") =>
        TryParse(location, optionName, out var table, out var problem) ? table : throw new ConfigurationException(problem);

    /// <inheritdoc />
    public override string ToString() => Uri;

    // The 'domain:' prefix of a legacy project is a DNS name; the id after it follows the ordinary rule.
    [GeneratedRegex(@"^([a-z][a-z0-9.\-]*[a-z0-9]:)?[a-z][a-z0-9\-]{4,28}[a-z0-9]$")]
    private static partial Regex ProjectPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_]{1,1024}$")]
    private static partial Regex DatasetPattern();

    [GeneratedRegex(@"^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}]{1,1024}$")]
    private static partial Regex TablePattern();
}

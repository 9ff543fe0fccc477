using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Decode;

/// <summary>
/// Checks, before any row is read, that a source's columns can be decoded as <c>account_signals</c>: the required
/// columns exist and every known column has its BigQuery type. Unknown extra columns are kept (they reach the
/// canonical JSON); missing optional columns read as null.
/// </summary>
public static class AccountSchemaCheck
{
    /// <summary>Throws <see cref="SourceException"/> naming every missing or mistyped column.</summary>
    public static void Validate(TableSchema actual, string source)
    {
        var problems = new List<string>();
        foreach (var expected in AccountSignalsTable.Schema.Fields)
        {
            var found = actual.Find(expected.Name);
            if (found is null)
            {
                if (expected.Required)
                {
                    problems.Add($"required column '{expected.Name}' ({expected.TypeName}) is missing");
                }

                continue;
            }

            if (found.Type != expected.Type || found.Repeated != expected.Repeated)
            {
                problems.Add($"column '{expected.Name}' is {found.TypeName}, expected {expected.TypeName}");
            }
        }

        if (problems.Count > 0)
        {
            throw new SourceException($"{source}: {string.Join("; ", problems)}. Fix the input or point --source at an account_signals table (schema in deploy/account_signals.sql).");
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using DuckDB.NET.Data;

// The peer in bench/peer-bench.sh: DuckDB runs the rules scorer (rules.sql) over the same generated accounts.
//   prepare <accounts.csv> <accounts.parquet>   converts the generated CSV to Parquet (not timed)
//   run <source.csv|.parquet> <sink.csv|.parquet> [threads]   the timed job
//   compare <ours.csv|.arrow> <theirs.csv|.parquet>   prints the share of accounts whose score and tier agree
var mode = args.Length > 0 ? args[0] : "";
switch (mode)
{
    case "prepare" when args.Length == 3:
        Execute(1, $"COPY (SELECT * FROM {CsvSource(args[1])}) TO '{args[2]}' (FORMAT parquet)");
        return 0;
    case "run" when args.Length is 3 or 4:
        var threads = args.Length == 4 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2;
        var parquetSink = args[2].EndsWith(".parquet", StringComparison.Ordinal);
        var sql = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "rules.sql"))
            .Replace("{source}", args[1].EndsWith(".parquet", StringComparison.Ordinal) ? $"read_parquet('{args[1]}')" : CsvSource(args[1]), StringComparison.Ordinal)
            .Replace("{sink}", args[2], StringComparison.Ordinal)
            .Replace("{actions}", parquetSink ? "actions" : "to_json(actions)", StringComparison.Ordinal)
            .Replace("{copy_options}", parquetSink ? "(FORMAT parquet)" : "(HEADER)", StringComparison.Ordinal);
        var watch = Stopwatch.StartNew();
        Execute(threads, sql);
        Console.WriteLine($"duckdb {DuckDbVersion()}: {args[1]} -> {args[2]} in {watch.Elapsed.TotalSeconds:0.00} s ({threads} threads)");
        return 0;
    case "compare" when args.Length == 3:
        return Compare(args[1], args[2]);
    default:
        Console.Error.WriteLine("usage: prepare <csv> <parquet> | run <source> <sink> [threads] | compare <ours> <theirs>");
        return 2;
}

static string CsvSource(string path) =>
    $$"""
    read_csv('{{path}}', header = true, auto_detect = false, quote = '"', escape = '"', columns = {
      'account_id': 'VARCHAR', 'account_name': 'VARCHAR', 'domain': 'VARCHAR', 'industry': 'VARCHAR', 'country': 'VARCHAR',
      'lifecycle_stage': 'VARCHAR', 'owner_email': 'VARCHAR', 'employee_count': 'BIGINT', 'annual_revenue': 'DOUBLE',
      'arr': 'DOUBLE', 'open_opportunities': 'BIGINT', 'pipeline_amount': 'DOUBLE', 'last_activity_at': 'TIMESTAMPTZ',
      'last_meeting_date': 'DATE', 'renewal_date': 'DATE', 'web_visits_30d': 'BIGINT', 'intent_score': 'DOUBLE',
      'intent_topics': 'VARCHAR', 'product_usage_trend': 'DOUBLE', 'support_tickets_open': 'BIGINT', 'notes': 'VARCHAR',
      'snapshot_date': 'DATE'})
    """;

static DuckDBConnection Open(int threads)
{
    var connection = new DuckDBConnection("DataSource=:memory:");
    connection.Open();
    using var settings = connection.CreateCommand();
    settings.CommandText = $"SET threads = {threads}; SET TimeZone = 'UTC'; SET preserve_insertion_order = true;";
    settings.ExecuteNonQuery();
    return connection;
}

static void Execute(int threads, string sql)
{
    using var connection = Open(threads);
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.ExecuteNonQuery();
}

static string DuckDbVersion()
{
    using var connection = Open(1);
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT version()";
    return (string)command.ExecuteScalar()!;
}

static int Compare(string ours, string theirs)
{
    var expected = new Dictionary<string, (long Score, string Tier, string Rationale)>();
    using (var connection = Open(2))
    using (var command = connection.CreateCommand())
    {
        command.CommandText = theirs.EndsWith(".parquet", StringComparison.Ordinal)
            ? $"SELECT account_id, score, tier, rationale FROM read_parquet('{theirs}')"
            : $"SELECT account_id, score, tier, rationale FROM read_csv('{theirs}', header = true)";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            expected[reader.GetString(0)] = (reader.GetInt64(1), reader.GetString(2), reader.GetString(3));
        }
    }

    long rows = 0, agree = 0, sameText = 0;
    foreach (var (account, score, tier, rationale) in OurRows(ours))
    {
        rows++;
        if (expected.TryGetValue(account, out var e) && e.Score == score && e.Tier == tier)
        {
            agree++;
            sameText += e.Rationale == rationale ? 1 : 0;
        }
    }

    var share = rows == 0 ? 0 : 100.0 * agree / rows;
    Console.WriteLine($"agreement: {agree:N0} of {rows:N0} rows ({share:0.000}%) on score and tier; DuckDB wrote {expected.Count:N0}; identical rationale text on {100.0 * sameText / Math.Max(1, rows):0.000}%");
    return share >= 99 && rows == expected.Count ? 0 : 1;
}

static IEnumerable<(string Account, long Score, string Tier, string Rationale)> OurRows(string path)
{
    if (path.EndsWith(".arrow", StringComparison.Ordinal))
    {
        using var stream = File.OpenRead(path);
        using var reader = new ArrowFileReader(stream);
        while (reader.ReadNextRecordBatch() is { } batch)
        {
            using (batch)
            {
                var account = (StringArray)batch.Column("account_id");
                var score = (Int64Array)batch.Column("score");
                var tier = (StringArray)batch.Column("tier");
                var rationale = (StringArray)batch.Column("rationale");
                for (var i = 0; i < batch.Length; i++)
                {
                    yield return (account.GetString(i), score.GetValue(i)!.Value, tier.GetString(i), rationale.GetString(i));
                }
            }
        }

        yield break;
    }

    using var connection = Open(2);
    using var command = connection.CreateCommand();
    command.CommandText = $"SELECT account_id, score::BIGINT, tier, rationale FROM read_csv('{path}', header = true)";
    using var rows = command.ExecuteReader();
    while (rows.Read())
    {
        yield return (rows.GetString(0), rows.GetInt64(1), rows.GetString(2), rows.GetString(3));
    }
}

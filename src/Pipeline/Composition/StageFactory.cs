using Microsoft.Extensions.Logging;
using SalesIntel.Pipeline.Cli;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Formats;
using SalesIntel.Stages.GoogleApis.BigQuery;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Scoring;
using SalesIntel.Stages.Scoring.Gemini;
using SalesIntel.Stages.Scoring.Rules;
using SalesIntel.Stages.Sinks;
using SalesIntel.Stages.Sinks.BigQuery;
using SalesIntel.Stages.Sinks.Files;
using SalesIntel.Stages.Sources;
using SalesIntel.Stages.Sources.BigQuery;
using SalesIntel.Stages.Sources.Files;

namespace SalesIntel.Pipeline.Composition;

/// <summary>
/// Chooses and builds the stages a run asked for: the source by the <c>--source</c> form (a path or <c>bq://</c>),
/// the sink by <c>--sink</c>, the scorer by <c>--scorer</c>. Stage-specific options are read in
/// <see cref="ReadStageOptions"/>, together with the run options, so every bad value is reported at once.
/// </summary>
public sealed class StageFactory
{
    private readonly ScoreSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private FileFormat? _sourceFormat;
    private FileFormat? _sinkFormat;
    private BigQuerySourceOptions? _bigQuerySource;
    private BigQuerySinkOptions? _bigQuerySink;
    private GeminiScorerOptions? _gemini;
    private BigQueryTableReference? _deadLetterTable;
    private BigQueryTableReference? _runLedgerTable;

    private StageFactory(ScoreSettings settings, TimeProvider time, ILoggerFactory loggers)
    {
        _settings = settings;
        _time = time;
        _loggers = loggers;
    }

    /// <summary>Reads and validates the options of the selected stages; problems go to <paramref name="reader"/>.Errors.</summary>
    public static StageFactory ReadStageOptions(ScoreSettings settings, SettingsReader reader, Func<string, string?> environment, TimeProvider time, ILoggerFactory loggers)
    {
        var factory = new StageFactory(settings, time, loggers);
        if (settings.Scorer == "gemini")
        {
            factory._gemini = GeminiCliOptions.Read(reader, settings, environment);
        }

        if (IsBigQuery(settings.Source))
        {
            factory._bigQuerySource = ReadBigQuerySource(settings, reader, environment);
        }
        else
        {
            factory._sourceFormat = ReadFormat(reader, ScoreOptions.SourceFormat, settings.Source);
        }

        if (!IsBigQuery(settings.Sink))
        {
            factory._sinkFormat = ReadFormat(reader, ScoreOptions.SinkFormat, settings.Sink);
        }
        else
        {
            factory._bigQuerySink = ReadBigQuerySink(reader, settings.Sink, environment);
        }

        factory._deadLetterTable = ReadDeadLetterTable(reader, settings.Sink);
        factory._runLedgerTable = ReadRunLedgerTable(reader, settings.Sink);
        if (factory._deadLetterTable is not null || factory._runLedgerTable is not null)
        {
            // Each dead-letter and ledger row names its task attempt, so a retried task's rows are told apart from the failed one's.
            factory.CloudRunTask = new RunTask(
                string.IsNullOrEmpty(environment("CLOUD_RUN_EXECUTION")) ? null : environment("CLOUD_RUN_EXECUTION"),
                factory._bigQuerySource?.TaskIndex ?? CloudRunTaskVariable(reader, environment, "CLOUD_RUN_TASK_INDEX", 0),
                factory._bigQuerySource?.TaskCount ?? CloudRunTaskVariable(reader, environment, "CLOUD_RUN_TASK_COUNT", 1),
                CloudRunTaskVariable(reader, environment, "CLOUD_RUN_TASK_ATTEMPT", 0));
        }

        return factory;
    }

    /// <summary>The Gemini scorer's validated options, or null when another scorer is selected (read by <c>doctor</c>'s projections, and by a command that builds more than one scorer from them).</summary>
    public GeminiScorerOptions? GeminiOptions => _gemini;

    /// <summary>Builds the source (nothing is opened yet).</summary>
    public IAccountSource CreateSource()
    {
        if (_bigQuerySource is not null)
        {
            return new BigQuerySource(_bigQuerySource, _time, _loggers.CreateLogger<BigQuerySource>());
        }

        TableSchema? schema = null;
        if (_settings.SourceSchemaPath is { } schemaPath)
        {
            try
            {
                schema = TableSchema.ParseBigQueryJson(File.ReadAllText(schemaPath));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new ConfigurationException($"--source-schema '{schemaPath}' is not a readable BigQuery JSON schema ([{{\"name\":..,\"type\":..,\"mode\":..}}]): {e.Message}", e);
            }
        }

        return FileSources.Open(new FileSourceOptions(_settings.Source, _sourceFormat, schema));
    }

    /// <summary>Builds the scorer.</summary>
    public IScorer CreateScorer() => _settings.Scorer switch
    {
        "rules" => CreateRulesScorer(),
        "gemini" when _gemini is not null => CreateGeminiScorer(_gemini),
        _ => throw new ConfigurationException($"--scorer '{_settings.Scorer}' is not built yet in this version; use --scorer rules."),
    };

    /// <summary>Builds the rules scorer.</summary>
    public IScorer CreateRulesScorer() => new RulesScorer(_settings.RunId, _time, parallelism: _settings.Concurrency ?? Environment.ProcessorCount);

    /// <summary>Builds a gemini scorer from <paramref name="options"/> (this run's, or a copy of them with another model or prompt).</summary>
    public IScorer CreateGeminiScorer(GeminiScorerOptions options) => new GeminiScorer(
        options,
        options.Fallback == GeminiFallback.Rules ? new RulesScorer(_settings.RunId, _time, GeminiScorer.FallbackScorerName) : null,
        _time,
        _loggers.CreateLogger<GeminiScorer>());

    /// <summary>Builds the sink (nothing is opened until its preflight).</summary>
    public IRecommendationSink CreateSink()
    {
        if (_bigQuerySink is { } bigQuery)
        {
            return new BigQuerySink(bigQuery, _time, _loggers.CreateLogger<BigQuerySink>());
        }

        return FileFormatRegistry.CreateSink(_settings.Sink, _sinkFormat, new FileSinkOptions { GuardCsvFormulas = _settings.GuardCsvFormulas });
    }

    /// <summary>
    /// The BigQuery table this run's dead letters are committed to beside the local file, or null (a file sink, or
    /// <c>--dead-letter-table none</c>). Nothing is connected until its preflight.
    /// </summary>
    public BigQueryDeadLetterTable? CreateDeadLetterTable() => _bigQuerySink is { } sink && _deadLetterTable is { } table
        ? new BigQueryDeadLetterTable(sink, table.Uri, _settings.RunId, CloudRunTask.Index, CloudRunTask.Attempt, _time, _loggers.CreateLogger<BigQueryDeadLetterTable>())
        : null;

    /// <summary>
    /// The run ledger this run appends its row to at the end, or null (a file sink, or <c>--run-ledger-table none</c>).
    /// Nothing is connected until its preflight.
    /// </summary>
    public BigQueryRunLedger? CreateRunLedger() => _bigQuerySink is { } sink && _runLedgerTable is { } table
        ? new BigQueryRunLedger(sink, table.Uri, _time, _loggers.CreateLogger<BigQueryRunLedger>())
        : null;

    /// <summary>The Cloud Run task this process is (read only when a dead-letter or ledger table is on; the defaults otherwise).</summary>
    public RunTask CloudRunTask { get; private set; } = RunTask.Local;

    /// <summary>
    /// The BigQuery source's options. The source guards its read-session estimate (rows and bytes) only for a run
    /// without <c>--limit</c>; with <c>--limit N</c> the row rule is <see cref="SalesIntel.Stages.Admit.RowGuard"/>'s
    /// (min(N, rows) against <c>--max-rows</c>, applied to the plan's estimate and while admitting) and the bytes guard
    /// is off, since the run reads about N rows' share. <c>--dry-run</c> reports the guards in the plan instead of
    /// stopping. The pipeline applies <c>--limit</c> itself, after dead letters, so the source is not given it.
    /// </summary>
    private static BigQuerySourceOptions ReadBigQuerySource(ScoreSettings settings, SettingsReader reader, Func<string, string?> environment)
    {
        var maxBytes = reader.Get(ScoreOptions.MaxBytes);
        var compression = reader.Get(ScoreOptions.ReadCompression) switch
        {
            "zstd" => BigQueryCompression.Zstd,
            "none" => BigQueryCompression.None,
            _ => BigQueryCompression.Lz4Frame,
        };
        var boundaries = reader.Get(ScoreOptions.TaskKeyBoundaries)?.Split(',', StringSplitOptions.TrimEntries);
        var options = new BigQuerySourceOptions
        {
            Table = settings.Source,
            Dates = settings.Dates,
            BillingProject = reader.Get(ScoreOptions.BillingProject),
            MaxStreams = reader.Get(ScoreOptions.MaxStreams),
            MaxRows = settings.Limit is null ? settings.MaxRows : null,
            MaxBytes = settings.Limit is null ? maxBytes : null,
            ReportGuardsOnly = settings.DryRun,
            Compression = compression,
            EmulatorHost = environment(BigQuerySourceOptions.EmulatorVariable),
            TaskIndex = CloudRunTaskVariable(reader, environment, "CLOUD_RUN_TASK_INDEX", 0),
            TaskCount = CloudRunTaskVariable(reader, environment, "CLOUD_RUN_TASK_COUNT", 1),
            TaskKeyBoundaries = boundaries,
        };
        try
        {
            options.Validate();
        }
        catch (ConfigurationException e)
        {
            reader.Fail(e.Message);
        }

        return options;
    }

    private static BigQuerySinkOptions? ReadBigQuerySink(SettingsReader reader, string table, Func<string, string?> environment)
    {
        var options = new BigQuerySinkOptions
        {
            Table = table,
            CommitRows = reader.Get(ScoreOptions.CommitRows),
            CommitInterval = TimeSpan.FromSeconds(reader.Get(ScoreOptions.CommitSeconds)),
            EmulatorHost = environment(BigQuerySinkDefaults.EmulatorVariable),
        };
        try
        {
            options.Validate();
            return options;
        }
        catch (ConfigurationException e)
        {
            reader.Fail(e.Message);
            return null;
        }
    }

    /// <summary>
    /// The dead-letter table: with a bq:// sink, <c>--dead-letter-table</c>'s table or, by default,
    /// account_recommendation_dead_letters in the sink's dataset (the deploy kit creates it there); <c>none</c> turns it
    /// off. A file sink's run keeps its dead letters in <c>--dead-letter</c>, so the option is refused there rather than
    /// ignored.
    /// </summary>
    private static BigQueryTableReference? ReadDeadLetterTable(SettingsReader reader, string sink) => ReadSideTable(
        reader, sink, ScoreOptions.DeadLetterTable, DeadLettersTable.DefaultTableId,
        "a file run keeps its dead letters in --dead-letter",
        "or none to keep dead letters in the --dead-letter file only",
        "dead letters need their own table (deploy/account_recommendation_dead_letters.sql)");

    /// <summary>
    /// The run ledger: with a bq:// sink, <c>--run-ledger-table</c>'s table or, by default, scoring_runs in the sink's
    /// dataset (the deploy kit creates it there); <c>none</c> turns it off. A file run keeps its record in the
    /// <c>--summary</c> file, so the option is refused there rather than ignored.
    /// </summary>
    private static BigQueryTableReference? ReadRunLedgerTable(SettingsReader reader, string sink) => ReadSideTable(
        reader, sink, ScoreOptions.RunLedgerTable, ScoringRunsTable.DefaultTableId,
        "a file run keeps its record in the --summary file",
        "or none to write no ledger row",
        "the ledger needs its own table (deploy/scoring_runs.sql)");

    /// <summary>A table a bq:// sink's run writes beside the sink table (dead letters, the run ledger), by the same rules.</summary>
    private static BigQueryTableReference? ReadSideTable(SettingsReader reader, string sink, OptionSpec<string?> option, string defaultTableId, string fileRun, string orNone, string ownTable)
    {
        var value = reader.Get(option);
        var none = string.Equals(value?.Trim(), "none", StringComparison.OrdinalIgnoreCase);
        if (!IsBigQuery(sink))
        {
            if (value is not null && !none)
            {
                reader.Fail($"{reader.Describe(option)} needs a bq:// --sink: {fileRun} (leave the option out, or give a bq:// --sink)");
            }

            return null;
        }

        if (none || !BigQueryTableReference.TryParse(sink, "--sink", out var sinkTable, out _))
        {
            // A bad --sink is reported by the sink's own options.
            return null;
        }

        if (value is null)
        {
            return sinkTable with { TableId = defaultTableId };
        }

        if (!BigQueryTableReference.TryParse(value, option.Name, out var table, out var problem))
        {
            reader.Fail($"{problem} ({orNone})");
            return null;
        }

        if (table == sinkTable)
        {
            reader.Fail($"{reader.Describe(option)} is the --sink table: {ownTable}");
            return null;
        }

        return table;
    }

    private static int CloudRunTaskVariable(SettingsReader reader, Func<string, string?> environment, string name, int fallback)
    {
        var text = environment(name);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        reader.Fail($"{name} '{text}' must be a whole number (set by Cloud Run for job tasks)");
        return fallback;
    }

    private static bool IsBigQuery(string location) => location.StartsWith("bq://", StringComparison.OrdinalIgnoreCase);

    private static FileFormat? ReadFormat(SettingsReader reader, OptionSpec<string?> spec, string path)
    {
        if (reader.Get(spec) is { } name)
        {
            if (FileFormats.TryParse(name, out var explicitFormat))
            {
                return explicitFormat;
            }

            reader.Fail($"{reader.Describe(spec)} must be one of {FileFormatRegistry.Names}");
            return null;
        }

        try
        {
            return FileFormats.FromPath(path);
        }
        catch (ConfigurationException e)
        {
            reader.Fail(e.Message);
            return null;
        }
    }
}

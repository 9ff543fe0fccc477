using System.Globalization;
using SalesIntel.Pipeline.Cli;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Fixtures;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.Files;
using static SalesIntel.Pipeline.Cli.OptionTypes;

namespace SalesIntel.Pipeline.Fixtures;

/// <summary>
/// <c>salesintel fixtures generate</c>: writes realistic, deterministic accounts (same rows, seed and dates give
/// the same bytes) for tests, benchmarks and demos.
/// </summary>
public sealed class FixturesCommand(TextWriter stdout, TextWriter stderr)
{
    private const string Group = "Fixtures";

    /// <summary>Total rows.</summary>
    public static readonly OptionSpec<long> Rows = new("--rows", null, "total rows, spread over the dates (each account once per date)", "N", Group, Whole(new(0, 100_000_000)), 1000);

    /// <summary>The random seed.</summary>
    public static readonly OptionSpec<int> Seed = new("--seed", null, "random seed; the same seed gives the same file", "S", Group, Int(new(int.MinValue, int.MaxValue)), 42);

    /// <summary>The snapshot dates.</summary>
    public static readonly OptionSpec<string?> Dates = new("--dates", null, "snapshot dates, one date or an inclusive range D1..D2", "D1..D2", Group, Text, "2026-11-27");

    /// <summary>The output file.</summary>
    public static readonly OptionSpec<string?> Out = new("--out", null, "output file; the format follows the extension (.csv, .jsonl, .arrow, .arrows)", "FILE", Group, Text, "fixtures/generated.csv");

    /// <summary>Overrides the extension's format.</summary>
    public static readonly OptionSpec<string?> Format = new("--format", null, "csv | jsonl | arrow | arrows", "FORMAT", Group, Text, null) { ShownDefault = "from the extension" };

    private static readonly IReadOnlyList<OptionSpec> All = [Rows, Seed, Dates, Out, Format];

    /// <summary>Runs the command.</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var raw = RawSettings.Load(args, All, null, _ => null);
        if (raw.HelpRequested)
        {
            await stdout.WriteAsync(HelpText.Render("salesintel fixtures generate [options]", "Writes deterministic account_signals rows: a mix of lifecycle stages, skewed sizes, some nulls, unicode names and notes that try to instruct a model.", All));
            return ExitCodes.Success;
        }

        var r = new SettingsReader(raw);
        var rows = r.Get(Rows);
        var seed = r.Get(Seed);
        var (from, to) = ParseDates(r);
        var path = r.Get(Out)!;
        FileFormat format = default;
        if (r.Get(Format) is { } name)
        {
            if (!FileFormats.TryParse(name, out format))
            {
                r.Fail($"{r.Describe(Format)} must be one of csv, jsonl, arrow, arrows");
            }
        }
        else
        {
            try
            {
                format = FileFormats.FromPath(path);
            }
            catch (ConfigurationException e)
            {
                r.Fail(e.Message);
            }
        }

        if (r.Errors.Count > 0)
        {
            await stderr.WriteLineAsync("salesintel fixtures generate: invalid options:");
            foreach (var e in r.Errors)
            {
                await stderr.WriteLineAsync($"  - {e}");
            }

            return ExitCodes.BadConfiguration;
        }

        try
        {
            var batches = AccountFixtureGenerator.Generate(new FixtureSpec(rows, seed, from, to));
            var written = await AccountFileWriter.WriteAsync(batches, BigQueryArrowTypes.ToArrowSchema(AccountSignalsTable.Schema), path, format, cancellationToken);
            await stdout.WriteLineAsync($"wrote {written:N0} rows ({from:yyyy-MM-dd}..{to:yyyy-MM-dd}, seed {seed}) to {path}");
            return ExitCodes.Success;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("cancelled; nothing was written");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is SalesIntelException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"salesintel fixtures generate: cannot write '{path}': {e.Message}");
            return ExitCodes.Failed;
        }
    }

    private static (DateOnly From, DateOnly To) ParseDates(SettingsReader r)
    {
        var text = r.Get(Dates)!;
        var parts = text.Split("..", 2);
        if (DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            && DateOnly.TryParseExact(parts.Length == 2 ? parts[1] : parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
            && from <= to)
        {
            return (from, to);
        }

        r.Fail($"{r.Describe(Dates)} must be YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD with the first not after the second");
        var fallback = DateOnly.ParseExact(Dates.Default!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return (fallback, fallback);
    }
}

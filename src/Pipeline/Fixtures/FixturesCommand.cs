using System.Globalization;
using SalesIntel.Pipeline.Cli;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Fixtures;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.Files;

namespace SalesIntel.Pipeline.Fixtures;

/// <summary>
/// <c>salesintel fixtures generate</c>: writes realistic, deterministic accounts (same rows, seed and dates give
/// the same bytes) for tests, benchmarks and demos.
/// </summary>
public sealed class FixturesCommand(TextWriter stdout, TextWriter stderr)
{
    private const string Group = "Fixtures";

    /// <summary>Total rows.</summary>
    public static readonly OptionSpec Rows = new("--rows", null, "total rows, spread over the dates (each account once per date)", "1000", "N", Group);

    /// <summary>The random seed.</summary>
    public static readonly OptionSpec Seed = new("--seed", null, "random seed; the same seed gives the same file", "42", "S", Group);

    /// <summary>The snapshot dates.</summary>
    public static readonly OptionSpec Dates = new("--dates", null, "snapshot dates, one date or an inclusive range D1..D2", "2026-11-27", "D1..D2", Group);

    /// <summary>The output file.</summary>
    public static readonly OptionSpec Out = new("--out", null, "output file; the format follows the extension (.csv, .jsonl, .arrow, .arrows)", "fixtures/generated.csv", "FILE", Group);

    /// <summary>Overrides the extension's format.</summary>
    public static readonly OptionSpec Format = new("--format", null, "csv | jsonl | arrow | arrows", "from the extension", "FORMAT", Group);

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
        var rows = r.Long(Rows, 0, 100_000_000, 1000)!.Value;
        var seed = r.Int(Seed, int.MinValue, int.MaxValue, 42)!.Value;
        var (from, to) = ParseDates(r);
        var path = r.String(Out, "fixtures/generated.csv")!;
        FileFormat format = default;
        if (r.String(Format) is { } name)
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
        var text = r.String(Dates, "2026-11-27")!;
        var parts = text.Split("..", 2);
        if (DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            && DateOnly.TryParseExact(parts.Length == 2 ? parts[1] : parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
            && from <= to)
        {
            return (from, to);
        }

        r.Fail($"{r.Describe(Dates)} must be YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD with the first not after the second");
        return (new DateOnly(2026, 11, 27), new DateOnly(2026, 11, 27));
    }
}

using System.Globalization;
using CsCheck;

namespace SalesIntel.Tests.Stages.Sources.Files;

/// <summary>
/// How many cases a property test runs and from which seed: a fixed seed and a suite-sized count by default, so CI
/// is repeatable and fast; <c>SALESINTEL_PROPERTY_ITERATIONS</c> and <c>SALESINTEL_PROPERTY_SEED</c> (a CsCheck PCG
/// seed, e.g. <c>1c04f77d504556f19</c>) run more, or replay a failure, on demand.
/// </summary>
internal static class PropertyRuns
{
    private const string DefaultSeed = "1c04f77d504556f19";

    /// <summary>The iterations to run: the environment's, or <paramref name="suiteDefault"/>.</summary>
    public static int Iterations(int suiteDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable("SALESINTEL_PROPERTY_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : suiteDefault;

    /// <summary>Generates <paramref name="iterations"/> cases in a fixed sequence and runs <paramref name="check"/> on each; a failure names the case and the seed.</summary>
    public static async Task CheckAsync<T>(Gen<T> gen, int iterations, Func<T, int, Task> check)
    {
        var seed = Environment.GetEnvironmentVariable("SALESINTEL_PROPERTY_SEED") is { Length: > 0 } given ? given : DefaultSeed;
        var pcg = PCG.Parse(seed);
        for (var i = 0; i < iterations; i++)
        {
            var value = gen.Generate(pcg, null, out _);
            try
            {
                await check(value, i);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"case {i} of seed {seed} failed: {e.Message}{Environment.NewLine}{e}");
            }
        }
    }
}

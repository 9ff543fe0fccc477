using System.Runtime.CompilerServices;

namespace SalesIntel.Stages.Fixtures.Internal;

/// <summary>
/// SplitMix64: a tiny, fast, well-mixed generator whose output is fixed by its algorithm (not by the .NET version),
/// so a fixture seed gives the same data everywhere.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;
    private double _spareGaussian = double.NaN;

    /// <summary>A generator for one (seed, key, key) combination, independent of every other.</summary>
    public static SplitMix64 For(int seed, long a, long b = 0)
    {
        var g = new SplitMix64(((ulong)(uint)seed * 0xD1B54A32D192ED03UL) ^ ((ulong)a * 0x9E3779B97F4A7C15UL) ^ ((ulong)b * 0xC2B2AE3D27D4EB4FUL));
        g.Next();
        return g;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Next(int n) => (int)((Next() >> 32) * (ulong)n >> 32);

    /// <summary>Uniform in [0, n).</summary>
    public long NextLong(long n) => (long)(Next() % (ulong)n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal (Box-Muller; each pair of uniforms gives two values, the second kept for the next call).</summary>
    public double Gaussian()
    {
        if (!double.IsNaN(_spareGaussian))
        {
            var spare = _spareGaussian;
            _spareGaussian = double.NaN;
            return spare;
        }

        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var (sin, cos) = Math.SinCos(2.0 * Math.PI * u2);
        _spareGaussian = radius * sin;
        return radius * cos;
    }

    /// <summary>Log-normal: exp(N(mu, sigma)).</summary>
    public double LogNormal(double mu, double sigma) => Math.Exp(mu + (sigma * Gaussian()));
}

using System.Globalization;
using System.Numerics;

namespace SalesIntel.Stages.Model;

/// <summary>
/// The allowed range of a numeric setting, defined once beside the stage option it bounds: the stage validates with
/// it and the command line's option definition shows and checks the same range, so the two cannot drift.
/// </summary>
/// <typeparam name="T">The number type.</typeparam>
/// <param name="Min">The smallest allowed value.</param>
/// <param name="Max">The largest allowed value.</param>
public readonly record struct Bounds<T>(T Min, T Max)
    where T : INumber<T>
{
    /// <summary>True when <paramref name="value"/> lies in [Min, Max].</summary>
    public bool Contains(T value) => value >= Min && value <= Max;

    /// <summary>"between 1 and 512" for messages (thousands separated, invariant).</summary>
    public string Describe() => $"between {Format(Min)} and {Format(Max)}";

    /// <summary>True for integer types (in which one half is zero), whose bounds are shown with thousands separators.</summary>
    public static bool IsWholeNumberType { get; } = T.IsZero(T.One / (T.One + T.One));

    private static string Format(T value) =>
        string.Format(CultureInfo.InvariantCulture, IsWholeNumberType ? "{0:N0}" : "{0}", value);
}

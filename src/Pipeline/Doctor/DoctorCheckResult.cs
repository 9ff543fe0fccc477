using System.Globalization;

namespace SalesIntel.Pipeline.Doctor;

/// <summary>What one check found, printed as one line: <c>ok|warn|fail  check: what  fix: ...</c>.</summary>
/// <param name="Status">ok, warn or fail.</param>
/// <param name="Message">What was found, with the figures.</param>
/// <param name="Fix">What to do about it, or null when there is nothing to do.</param>
public sealed record DoctorCheckResult(DoctorStatus Status, string Message, string? Fix = null)
{
    /// <summary>A passing result.</summary>
    public static DoctorCheckResult Ok(string message) => new(DoctorStatus.Ok, message);

    /// <summary>A warning.</summary>
    public static DoctorCheckResult Warn(string message, string? fix = null) => new(DoctorStatus.Warn, message, fix);

    /// <summary>A failure.</summary>
    public static DoctorCheckResult Fail(string message, string? fix = null) => new(DoctorStatus.Fail, message, fix);

    /// <summary>The status as printed: ok, warn or fail.</summary>
    public string StatusText => Status.ToString().ToLower(CultureInfo.InvariantCulture);

    /// <summary>The printed line for the check named <paramref name="check"/>.</summary>
    public string Line(string check) => $"{StatusText,-4}  {check}: {Message}{(Fix is null ? "" : "  fix: " + Fix)}";
}

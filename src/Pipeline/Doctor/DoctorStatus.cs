namespace SalesIntel.Pipeline.Doctor;

/// <summary>How one doctor check came out.</summary>
public enum DoctorStatus
{
    /// <summary>Nothing to do.</summary>
    Ok,

    /// <summary>The run would work, but something deserves a look (a model near retirement, an unknown timeout).</summary>
    Warn,

    /// <summary>The run would fail or fall short; <c>salesintel doctor</c> exits 6.</summary>
    Fail,
}

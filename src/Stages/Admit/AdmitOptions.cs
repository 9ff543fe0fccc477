using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Admit;

/// <summary>What the admit stage applies to each decoded batch.</summary>
public sealed record AdmitOptions
{
    /// <summary>The partition filter, named in guard messages.</summary>
    public required DateRange Dates { get; init; }

    /// <summary>The <c>--max-rows</c> / <c>--limit</c> policy.</summary>
    public required RowGuard Guard { get; init; }

    /// <summary>Records per chunk handed to the scorer (its preferred batch size). Defaults to 1.</summary>
    public int ChunkSize { get; init; } = 1;

    /// <summary>Per-record decisions, asked in order. Defaults to none (every record is admitted).</summary>
    public IReadOnlyList<IAdmitRule> Rules { get; init; } = [];
}

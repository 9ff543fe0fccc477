namespace SalesIntel.Stages.Model;

/// <summary>A row that could not be processed: why, where it came from, and what it was.</summary>
/// <param name="Stage">The stage that gave up: source, decode, score, sink.</param>
/// <param name="Reason">A short machine-friendly reason, e.g. <c>unparsable_value</c>, <c>invalid_answer</c>.</param>
/// <param name="Message">One human line naming the value and the problem.</param>
/// <param name="Position">Where the row came from.</param>
/// <param name="AccountId">The account, when known.</param>
/// <param name="Raw">The raw input or answer, truncated, for diagnosis.</param>
public sealed record DeadLetter(string Stage, string Reason, string Message, SourcePosition Position, string? AccountId = null, string? Raw = null);

using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sinks.DeadLetters;

/// <summary>Where the stages put the rows they could not process (the local file, a BigQuery table, or both). Thread-safe.</summary>
public interface IDeadLetterWriter
{
    /// <summary>Records dead letters.</summary>
    void Write(IEnumerable<DeadLetter> letters);
}

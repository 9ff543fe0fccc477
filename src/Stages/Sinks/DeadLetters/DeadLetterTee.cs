using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sinks.DeadLetters;

/// <summary>Hands every dead letter to several writers, in order (the local file first, then the BigQuery table).</summary>
public sealed class DeadLetterTee(params IDeadLetterWriter[] writers) : IDeadLetterWriter
{
    /// <inheritdoc />
    public void Write(IEnumerable<DeadLetter> letters)
    {
        var list = letters as IReadOnlyCollection<DeadLetter> ?? [.. letters];
        foreach (var writer in writers)
        {
            writer.Write(list);
        }
    }
}

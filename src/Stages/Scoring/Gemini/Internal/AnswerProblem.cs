namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>Why an answer could not be used.</summary>
internal enum AnswerProblemKind
{
    /// <summary>Not JSON, or JSON that breaks the rules (range, tier band, action count, lengths).</summary>
    Invalid,

    /// <summary>No candidate, or no text outside thought parts.</summary>
    Empty,

    /// <summary>Generation stopped at max_output_tokens.</summary>
    Truncated,

    /// <summary>SAFETY, RECITATION, a blocked prompt, or another refusal.</summary>
    Blocked,
}

/// <summary>An unusable answer: the kind, a one-line reason, and the raw text for the dead letter.</summary>
internal sealed record AnswerProblem(AnswerProblemKind Kind, string Message, string? Raw)
{
    /// <summary>The dead-letter reason.</summary>
    public string Reason => Kind switch
    {
        AnswerProblemKind.Invalid => "invalid_answer",
        AnswerProblemKind.Empty => "empty_answer",
        AnswerProblemKind.Truncated => "truncated_answer",
        _ => "blocked_answer",
    };
}

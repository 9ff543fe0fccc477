namespace SalesIntel.Tests.Stages.Scoring.Gemini;

/// <summary>What the fake Vertex AI does instead of a good answer.</summary>
public enum FakeFault
{
    /// <summary>A good answer.</summary>
    None,

    /// <summary>gRPC UNAVAILABLE.</summary>
    Unavailable,

    /// <summary>gRPC INTERNAL.</summary>
    Internal,

    /// <summary>gRPC DEADLINE_EXCEEDED.</summary>
    DeadlineExceeded,

    /// <summary>gRPC RESOURCE_EXHAUSTED without RetryInfo.</summary>
    ResourceExhausted,

    /// <summary>gRPC RESOURCE_EXHAUSTED with a RetryInfo of <see cref="FakeVertexAi.RetryInfoDelay"/>.</summary>
    ResourceExhaustedWithRetryInfo,

    /// <summary>gRPC INVALID_ARGUMENT.</summary>
    InvalidArgument,

    /// <summary>gRPC NOT_FOUND, worded as Vertex words a missing publisher model.</summary>
    NotFound,

    /// <summary>gRPC PERMISSION_DENIED.</summary>
    PermissionDenied,

    /// <summary>gRPC PERMISSION_DENIED with ErrorInfo reason SERVICE_DISABLED.</summary>
    ServiceDisabled,

    /// <summary>Finish STOP, but the text is not JSON.</summary>
    MalformedJson,

    /// <summary>Valid JSON whose tier does not match the score band.</summary>
    WrongTier,

    /// <summary>No candidates at all.</summary>
    EmptyCandidates,

    /// <summary>Only a thought part, no answer text.</summary>
    OnlyThoughts,

    /// <summary>Finish MAX_TOKENS with half an answer.</summary>
    MaxTokens,

    /// <summary>Finish SAFETY, no text.</summary>
    Safety,

    /// <summary>Finish RECITATION.</summary>
    Recitation,

    /// <summary>prompt_feedback.block_reason SAFETY, no candidates.</summary>
    PromptBlocked,

    /// <summary>Never answers until the caller cancels.</summary>
    Hang,
}

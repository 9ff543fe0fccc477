using Microsoft.Extensions.Logging;

namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>The Gemini scorer's log events (ids 5100-5199).</summary>
internal static partial class GeminiLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Vertex AI preflight ok: {ModelPath} counted {Tokens} prompt tokens for the template; prompt {PromptVersion}")]
    public static partial void PreflightOk(ILogger logger, string modelPath, int tokens, string promptVersion);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "Vertex AI call failed ({Failure}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string failure, long delayMs);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Debug, Message = "Vertex AI answered RESOURCE_EXHAUSTED; concurrency limit now {Limit}")]
    public static partial void Throttled(ILogger logger, int limit);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Account {AccountId}: unusable answer ({Reason}: {Problem}); retrying once with an adjusted request")]
    public static partial void AnswerRetry(ILogger logger, string accountId, string reason, string problem);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Account {AccountId}: {Reason}; scored by the rules fallback instead")]
    public static partial void FellBack(ILogger logger, string accountId, string reason);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "Scoring stopped by budget: {Reason}; remaining accounts are reported as not scored")]
    public static partial void BudgetReached(ILogger logger, string reason);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Warning, Message = "Model catalog: {Warning}")]
    public static partial void ModelWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Information, Message = "Vertex AI pacing for this task: {TaskRpm} requests and {TaskTpm} tokens per minute (--rpm {Rpm} and --tpm {Tpm} shared by {TaskCount} tasks); tier {Tier}")]
    public static partial void Pacing(ILogger logger, int taskRpm, int taskTpm, int rpm, int tpm, int taskCount, string tier);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "model calls stopping; the accounts not yet answered are left unscored: {Message}")]
    public static partial void Stopping(ILogger logger, string message);
}

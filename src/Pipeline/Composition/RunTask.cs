namespace SalesIntel.Pipeline.Composition;

/// <summary>The Cloud Run task a process is: CLOUD_RUN_EXECUTION, CLOUD_RUN_TASK_INDEX, _COUNT and _ATTEMPT.</summary>
/// <param name="Execution">The execution, or null outside Cloud Run.</param>
/// <param name="Index">The task index; 0 outside Cloud Run.</param>
/// <param name="Count">The task count; 1 outside Cloud Run.</param>
/// <param name="Attempt">The attempt; 0 for the first.</param>
public sealed record RunTask(string? Execution, int Index, int Count, int Attempt)
{
    /// <summary>A process outside Cloud Run: one task, first attempt.</summary>
    public static RunTask Local { get; } = new(null, 0, 1, 0);
}

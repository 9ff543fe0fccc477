namespace SalesIntel.Stages.GoogleApis;

/// <summary>
/// The fixes SalesIntel names when a Google call fails for a reason the user can repair, written once so BigQuery
/// read, BigQuery write, the channel factory (and Vertex AI, as it adopts them) give the same advice.
/// </summary>
public static class GoogleFixHints
{
    /// <summary>What to do when no credentials are found or the server rejects them (UNAUTHENTICATED).</summary>
    public const string Credentials =
        "run 'gcloud auth application-default login' (local), attach a service account (Cloud Run), or set GOOGLE_APPLICATION_CREDENTIALS to a key file";

    /// <summary>What to do when the API is not enabled in the calling project (PERMISSION_DENIED, reason SERVICE_DISABLED).</summary>
    /// <param name="service">The service named by the error, e.g. <c>bigquerystorage.googleapis.com</c>.</param>
    /// <param name="consumer">The project the error names (<c>projects/123</c>), or null.</param>
    public static string EnableService(string service, string? consumer)
    {
        var project = consumer is { Length: > 0 } ? consumer.Replace("projects/", "", StringComparison.Ordinal) : null;
        return project is null
            ? $"enable the API with 'gcloud services enable {service}', wait a minute, and run again"
            : $"enable the API with 'gcloud services enable {service} --project {project}', wait a minute, and run again";
    }
}

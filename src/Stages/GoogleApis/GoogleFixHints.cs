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
}

using System.Globalization;
using Google.Apis.Auth.OAuth2;
using Google.Rpc;
using Grpc.Core;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.GoogleApis;

namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>Turns Vertex AI refusals into one-line, actionable <see cref="ScorerException"/>s.</summary>
internal static class VertexErrors
{
    public const string ServiceDisabledReason = "SERVICE_DISABLED";
    public const string VertexAiUserRole = "roles/aiplatform.user";

    /// <summary>The errors no retry can fix and that will hit every account: NOT_FOUND, PERMISSION_DENIED, UNAUTHENTICATED. Null for anything else.</summary>
    public static ScorerException? Fatal(RpcException e, VertexModel model, Func<string?> identity) => e.StatusCode switch
    {
        StatusCode.NotFound => new ScorerException(
            $"Vertex AI model '{model.Model}' was not found in project '{model.Project}', region '{model.Region}' ({model.Path}): set LLM_MODEL to an available model, e.g. {model.Suggestion}, or use a --region that serves it. Server said: {Detail(e)}",
            isTransient: false, e),
        StatusCode.PermissionDenied when RpcErrorDetails.Detail<ErrorInfo>(e) is { Reason: ServiceDisabledReason } => new ScorerException(
            $"the Vertex AI API is not enabled in project '{model.Project}': run `gcloud services enable aiplatform.googleapis.com --project {model.Project}`, wait a minute, and rerun. Server said: {Detail(e)}",
            isTransient: false, e),
        StatusCode.PermissionDenied => new ScorerException(
            $"permission denied calling Vertex AI model {model.Path} as {identity() ?? "the Application Default Credentials in use (see `gcloud auth list`)"}: grant it the Vertex AI User role ({VertexAiUserRole}) on project '{model.Project}', e.g. `gcloud projects add-iam-policy-binding {model.Project} --member=<principal> --role={VertexAiUserRole}`. Server said: {Detail(e)}",
            isTransient: false, e),
        StatusCode.Unauthenticated => new ScorerException(
            $"Vertex AI rejected the credentials of {identity() ?? "the Application Default Credentials in use"}: run `gcloud auth application-default login` (local) or check the job's service account. Server said: {Detail(e)}",
            isTransient: false, e),
        _ => null,
    };

    /// <summary>Any preflight failure, as one line; <paramref name="config"/> names the generation settings sent (for INVALID_ARGUMENT).</summary>
    public static ScorerException Preflight(RpcException e, VertexModel model, Func<string?> identity, string? config = null) =>
        Fatal(e, model, identity) ?? (e.StatusCode == StatusCode.InvalidArgument
            ? new ScorerException(config is null
                ? $"Vertex AI rejected the preflight request for {model.Path}: {Detail(e)}. Check LLM_MODEL and --region."
                : $"Vertex AI refused the run's request for model '{model.Model}' as INVALID_ARGUMENT ({config}): change the value it names (--thinking-level, --thinking-budget, --temperature, or the model's entry in --model-catalog) or choose another --model. Server said: {Detail(e)}", isTransient: false, e)
            : new ScorerException($"Vertex AI preflight for {model.Path} at {model.Endpoint} failed with {e.StatusCode}: {Detail(e)}. The service may be unavailable; rerun later.", isTransient: true, e));

    /// <summary>The server's message on one line, at most 300 characters.</summary>
    public static string Detail(RpcException e)
    {
        var text = string.Join(' ', (e.Status.Detail ?? "").Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        if (text.Length == 0)
        {
            text = "(no message)";
        }

        return text.Length > 300 ? text[..300] + "..." : text;
    }

    /// <summary>
    /// Who the Application Default Credentials are, when it can be told without a network call; null otherwise.
    /// Only used to word an error, so every failure here is swallowed.
    /// </summary>
    public static string? AdcIdentity()
    {
        try
        {
            return GoogleCredential.GetApplicationDefault().UnderlyingCredential switch
            {
                ServiceAccountCredential sa => string.Create(CultureInfo.InvariantCulture, $"service account {sa.Id}"),
                ComputeCredential => "the service account attached to this Cloud Run job or VM",
                UserCredential => "your gcloud user (Application Default Credentials)",
                ImpersonatedCredential => "an impersonated service account",
                _ => null,
            };
        }
        catch (Exception)
        {
            return null;
        }
    }
}

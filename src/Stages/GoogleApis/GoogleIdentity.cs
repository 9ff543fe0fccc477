using System.Text.Json;
using Google.Apis.Auth.OAuth2;
using SalesIntel.Stages.Errors;

namespace SalesIntel.Stages.GoogleApis;

/// <summary>
/// Says whose Application Default Credentials a run would call Google with, without calling any API: the key file
/// GOOGLE_APPLICATION_CREDENTIALS names (read from the run's environment, so it can be checked before the run), else
/// what the ADC lookup finds (gcloud's application-default login, or the metadata server of Cloud Run / GCE).
/// </summary>
public static class GoogleIdentity
{
    /// <summary>The environment variable naming a credentials file.</summary>
    public const string KeyFileVariable = "GOOGLE_APPLICATION_CREDENTIALS";

    /// <summary>Whose credentials would be used, e.g. <c>service account job@p.iam.gserviceaccount.com (key file /k.json)</c>.</summary>
    /// <exception cref="ConfigurationException">No credentials are found, or the key file is missing or not a credentials file.</exception>
    public static string Describe(Func<string, string?> environment)
    {
        if (environment(KeyFileVariable) is { Length: > 0 } path)
        {
            return DescribeKeyFile(path);
        }

        try
        {
            return GoogleCredential.GetApplicationDefault().UnderlyingCredential switch
            {
                ServiceAccountCredential sa => $"service account {sa.Id}",
                ComputeCredential => "the service account attached to this Cloud Run job or VM (metadata server)",
                UserCredential => "your gcloud user (gcloud auth application-default login)",
                ImpersonatedCredential => "an impersonated service account",
                var other => $"credentials of type {other.GetType().Name}",
            };
        }
        // GetApplicationDefault() blocks on an async lookup, so "not found" may arrive wrapped in an AggregateException.
        catch (Exception e) when (e is InvalidOperationException or AggregateException { InnerException: InvalidOperationException })
        {
            throw new ConfigurationException($"no Google credentials found: {GoogleFixHints.Credentials}", e);
        }
    }

    private static string DescribeKeyFile(string path)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            root = doc.RootElement.Clone();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ConfigurationException($"{KeyFileVariable} '{path}' cannot be read as a credentials file ({e.Message}): {GoogleFixHints.Credentials}", e);
        }

        var type = Text(root, "type");
        return type switch
        {
            "service_account" when Text(root, "client_email") is { } email => $"service account {email} (key file {path})",
            "authorized_user" => $"a gcloud user's credentials (key file {path})",
            "external_account" => $"workload identity federation, audience {Text(root, "audience") ?? "unknown"} (key file {path})",
            "impersonated_service_account" => $"an impersonated service account (key file {path})",
            _ => throw new ConfigurationException($"{KeyFileVariable} '{path}' is not a Google credentials file (type '{type ?? "missing"}'): {GoogleFixHints.Credentials}"),
        };
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
}

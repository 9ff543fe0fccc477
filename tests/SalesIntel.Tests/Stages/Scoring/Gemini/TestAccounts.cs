using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;

namespace SalesIntel.Tests.Stages.Scoring.Gemini;

/// <summary>Account records as the decoder makes them: typed signals plus canonical JSON (sorted keys) and its hash.</summary>
public static class TestAccounts
{
    public static readonly DateOnly Snapshot = new(2024, 5, 1);

    public static AccountRecord Record(string id, double? intentScore = 72, string? notes = null, int line = 1)
    {
        var fields = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["account_id"] = id,
            ["account_name"] = "Acme " + id,
            ["industry"] = "Software",
            ["intent_score"] = intentScore,
            ["intent_topics"] = new[] { "crm", "data pipelines" },
            ["last_meeting_date"] = "2024-04-20",
            ["lifecycle_stage"] = "prospect",
            ["notes"] = notes,
            ["snapshot_date"] = "2024-05-01",
            ["web_visits_30d"] = 41,
        };
        var json = JsonSerializer.Serialize(fields, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var signals = new AccountSignals
        {
            AccountId = id,
            SnapshotDate = Snapshot,
            AccountName = "Acme " + id,
            Industry = "Software",
            LifecycleStage = "prospect",
            IntentScore = intentScore,
            IntentTopics = ["crm", "data pipelines"],
            LastMeetingDate = new DateOnly(2024, 4, 20),
            WebVisits30d = 41,
        };
        return new AccountRecord(signals, json, CanonicalJson.Hash(Encoding.UTF8.GetBytes(json)), new SourcePosition("accounts.csv", $"line {line}"));
    }

    public static AccountRecord[] Many(int count, Func<int, double?>? intent = null) =>
        Enumerable.Range(1, count).Select(i => Record($"acc-{i:D4}", intent?.Invoke(i) ?? (i * 7) % 101, line: i + 1)).ToArray();
}

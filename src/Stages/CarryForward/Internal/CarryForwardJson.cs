using System.Text.Json.Serialization;

namespace SalesIntel.Stages.CarryForward;

/// <summary>Source-generated JSON for the actions cell of a CSV file (no reflection, so it also works trimmed).</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class CarryForwardJson : JsonSerializerContext;

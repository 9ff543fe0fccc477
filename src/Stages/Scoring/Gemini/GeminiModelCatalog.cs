using System.Globalization;
using System.Text.Json;
using SalesIntel.Stages.Errors;

namespace SalesIntel.Stages.Scoring.Gemini;

/// <summary>
/// The model catalog: every known Gemini model id with its lifecycle, thinking control, recommended temperature,
/// prices and limits, read from a versioned JSON data file (<c>models/gemini.json</c> beside the program, or the
/// user's copy through <c>--model-catalog</c>). Model ids retire every year; they are data with a date and a
/// source, never constants in code.
/// </summary>
public sealed class GeminiModelCatalog
{
    /// <summary>The built-in catalog, relative to the program's directory.</summary>
    public const string DefaultRelativePath = "models/gemini.json";

    /// <summary>Google blocks new access to a stable model this many days before its retirement date.</summary>
    public const int WarningDays = 30;

    private readonly Dictionary<string, GeminiModelInfo> _models;

    private GeminiModelCatalog(string source, string asOf, int version, string defaultModel, Dictionary<string, GeminiModelInfo> models)
    {
        Source = source;
        AsOf = asOf;
        Version = version;
        DefaultModel = defaultModel;
        _models = models;
    }

    /// <summary>Where the catalog was read from.</summary>
    public string Source { get; }

    /// <summary>The date its facts were checked, e.g. <c>2026-12-02</c>.</summary>
    public string AsOf { get; }

    /// <summary>The catalog format version.</summary>
    public int Version { get; }

    /// <summary>The model used when neither <c>--model</c> nor LLM_MODEL names one.</summary>
    public string DefaultModel { get; }

    /// <summary>Every model id in the catalog.</summary>
    public IReadOnlyCollection<string> Models => _models.Keys;

    /// <summary>
    /// The entry for <paramref name="model"/>, or null when unknown. A versioned id (<c>gemini-3.5-flash-001</c>)
    /// falls back to the longest catalogued prefix (<c>gemini-3.5-flash</c>).
    /// </summary>
    public GeminiModelInfo? Find(string model)
    {
        if (_models.TryGetValue(model, out var exact))
        {
            return exact;
        }

        return _models.Where(p => model.StartsWith(p.Key + "-", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(p => p.Key.Length)
            .Select(p => p.Value)
            .FirstOrDefault();
    }

    /// <summary>The prices per model, for the cost estimate (the catalog's prices; models without prices are left out).</summary>
    public GeminiPriceTable Prices() => GeminiPriceTable.FromCatalog(_models.Values.Where(m => m.Price is not null).ToDictionary(m => m.Id, m => m.Price!, StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// The start-up rules for <paramref name="model"/> on <paramref name="today"/>: a retired model throws a
    /// <see cref="ConfigurationException"/> in one line naming the replacement; a model within <see cref="WarningDays"/>
    /// days of retirement, or one the catalog does not know, returns a warning (empty when all is well).
    /// </summary>
    public IReadOnlyList<string> Check(string model, DateOnly today)
    {
        var info = Find(model);
        if (info is null)
        {
            return [$"model '{model}' is not in the model catalog ({Source}, as of {AsOf}): its lifecycle, thinking control and prices are unknown; add it to a --model-catalog file"];
        }

        if (info.IsRetiredOn(today))
        {
            var when = info.Retires is { } date ? " on " + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty;
            var instead = info.Replacement ?? DefaultModel;
            throw new ConfigurationException($"model '{model}' was retired on Vertex AI{when} and answers NOT_FOUND: set --model (or LLM_MODEL) to {instead}, Google's recommended replacement");
        }

        if (info.DaysToRetirement(today) is { } days && days <= WarningDays)
        {
            var instead = info.Replacement is null ? string.Empty : $"; move to {info.Replacement}";
            return [string.Create(CultureInfo.InvariantCulture, $"model '{model}' retires on {info.Retires:yyyy-MM-dd} ({days} days left; Google blocks new access a month before){instead}")];
        }

        return [];
    }

    /// <summary>Reads the built-in catalog beside the program, or <paramref name="path"/>. Throws <see cref="ConfigurationException"/> naming the bad entry.</summary>
    public static GeminiModelCatalog Load(string? path = null)
    {
        var file = path ?? Path.Combine(AppContext.BaseDirectory, DefaultRelativePath);
        var option = path is null ? "the built-in model catalog" : "--model-catalog";
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            return Parse(doc.RootElement, file, option);
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{option} '{file}' is not valid JSON: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new ConfigurationException($"{option} '{file}' cannot be read: {e.Message}", e);
        }
    }

    private static GeminiModelCatalog Parse(JsonElement root, string file, string option)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Object)
        {
            throw Bad("must hold a JSON object with a \"models\" object (see models/gemini.json beside the program)");
        }

        var entries = new Dictionary<string, GeminiModelInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in models.EnumerateObject())
        {
            entries[entry.Name] = Model(entry.Name, entry.Value);
        }

        var defaultModel = Text(root, "default_model") ?? throw Bad("needs \"default_model\", the id used when --model is not given");
        if (!entries.ContainsKey(defaultModel))
        {
            throw Bad($"\"default_model\" '{defaultModel}' is not one of its models");
        }

        var version = root.TryGetProperty("catalog_version", out var v) && v.TryGetInt32(out var n) ? n : 0;
        return new GeminiModelCatalog(file, Text(root, "as_of") ?? "unknown date", version, defaultModel, entries);

        GeminiModelInfo Model(string id, JsonElement e)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                throw Bad($"model '{id}' must be an object");
            }

            var thinking = e.TryGetProperty("thinking", out var t) && t.ValueKind == JsonValueKind.Object ? t : default;
            var control = (thinking.ValueKind == JsonValueKind.Object ? Text(thinking, "control") : null) switch
            {
                null or "none" => ThinkingControl.None,
                "budget" => ThinkingControl.Budget,
                "level" => ThinkingControl.Level,
                var other => throw Bad($"model '{id}': thinking.control '{other}' must be none, budget or level"),
            };
            var levels = control == ThinkingControl.Level && thinking.TryGetProperty("levels", out var l) && l.ValueKind == JsonValueKind.Array
                ? l.EnumerateArray().Select(x => (x.GetString() ?? string.Empty).ToUpperInvariant()).ToArray()
                : [];
            if (control == ThinkingControl.Level && (levels.Length == 0 || levels.Any(x => !GeminiThinkingLevels.IsKnown(x))))
            {
                throw Bad($"model '{id}': thinking.levels must list some of {string.Join(", ", GeminiThinkingLevels.All)}");
            }

            var scoring = control == ThinkingControl.Level ? Text(thinking, "scoring")?.ToUpperInvariant() ?? levels[0] : null;
            if (scoring is not null && !levels.Contains(scoring))
            {
                throw Bad($"model '{id}': thinking.scoring '{scoring}' is not one of its levels ({string.Join(", ", levels)})");
            }

            return new GeminiModelInfo(
                id,
                Text(e, "generation") ?? string.Empty,
                Date(e, "released", id),
                Date(e, "retires", id),
                e.TryGetProperty("retired", out var r) && r.ValueKind == JsonValueKind.True,
                Text(e, "replacement"),
                control,
                levels,
                control == ThinkingControl.Level ? Text(thinking, "default")?.ToUpperInvariant() : null,
                scoring,
                control == ThinkingControl.Level ? (int)Number(thinking, "headroom_tokens", id, 0) : 0,
                control == ThinkingControl.Budget ? (int)Number(thinking, "min_budget", id, 0) : 0,
                control == ThinkingControl.Budget ? (int)Number(thinking, "default_budget", id, 0) : 0,
                (float)Number(e, "temperature", id, 1m),
                Prices(e, id),
                Number(e, "flex_discount", id, 0m),
                Number(e, "batch_discount", id, 0m),
                (int)Number(e, "context_tokens", id, 0),
                (int)Number(e, "max_output_tokens", id, 0));
        }

        ModelPrice? Prices(JsonElement e, string id)
        {
            if (!e.TryGetProperty("prices", out var p) || p.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty("input", out _) || !p.TryGetProperty("output", out _))
            {
                throw Bad($"model '{id}': prices needs non-negative numbers \"input\" and \"output\" (USD per million tokens)");
            }

            return new ModelPrice(Number(p, "input", id, 0m), Number(p, "output", id, 0m))
            {
                CachedInputPerMillion = p.TryGetProperty("cached_input", out _) ? Number(p, "cached_input", id, 0m) : null,
                ThinkingPerMillion = p.TryGetProperty("thinking", out _) ? Number(p, "thinking", id, 0m) : null,
            };
        }

        decimal Number(JsonElement e, string name, string id, decimal fallback)
        {
            if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return fallback;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) && number >= 0)
            {
                return number;
            }

            throw Bad($"model '{id}': \"{name}\" must be a non-negative number");
        }

        DateOnly? Date(JsonElement e, string name, string id)
        {
            var text = Text(e, name);
            if (text is null)
            {
                return null;
            }

            return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw Bad($"model '{id}': \"{name}\" '{text}' must be a date like 2027-05-07");
        }

        ConfigurationException Bad(string problem) => new($"{option} '{file}' {problem}");
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;
}

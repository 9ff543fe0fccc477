using System.Globalization;
using System.Text.Json;
using SalesIntel.Stages.Errors;

namespace SalesIntel.Stages.Scoring.Gemini;

/// <summary>
/// Prices per model for the cost estimate and <c>--max-cost</c>. The built-in entries are Vertex AI list prices
/// for standard (short-context, on-demand) use as published in 2025; they are estimates, not invoices. Replace or
/// extend them with a JSON file: <c>{"gemini-2.5-flash": {"input": 0.30, "output": 2.50}}</c> (USD per million tokens).
/// </summary>
public sealed class GeminiPriceTable
{
    private readonly Dictionary<string, ModelPrice> _prices;

    private GeminiPriceTable(Dictionary<string, ModelPrice> prices) => _prices = prices;

    /// <summary>The built-in list prices.</summary>
    public static GeminiPriceTable BuiltIn { get; } = new(new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase)
    {
        ["gemini-2.5-pro"] = new(1.25m, 10.00m),
        ["gemini-2.5-flash"] = new(0.30m, 2.50m),
        ["gemini-2.5-flash-lite"] = new(0.10m, 0.40m),
        ["gemini-2.0-flash"] = new(0.15m, 0.60m),
        ["gemini-2.0-flash-lite"] = new(0.075m, 0.30m),
    });

    /// <summary>The models with a price.</summary>
    public IReadOnlyCollection<string> Models => _prices.Keys;

    /// <summary>
    /// The price of <paramref name="model"/>, or null when unknown. A versioned id (<c>gemini-2.5-flash-001</c>)
    /// falls back to the longest priced prefix (<c>gemini-2.5-flash</c>).
    /// </summary>
    public ModelPrice? For(string model)
    {
        if (_prices.TryGetValue(model, out var exact))
        {
            return exact;
        }

        return _prices.Where(p => model.StartsWith(p.Key + "-", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(p => p.Key.Length)
            .Select(p => p.Value)
            .FirstOrDefault();
    }

    /// <summary>Reads a price file; its entries replace the built-in ones of the same model. Throws <see cref="ConfigurationException"/> naming the bad entry.</summary>
    public static GeminiPriceTable Load(string path)
    {
        var prices = new Dictionary<string, ModelPrice>(BuiltIn._prices, StringComparer.OrdinalIgnoreCase);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigurationException($"--price-table '{path}' must hold a JSON object like {{\"gemini-2.5-flash\": {{\"input\": 0.30, \"output\": 2.50}}}}");
            }

            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                prices[entry.Name] = new ModelPrice(Price(entry, "input", path), Price(entry, "output", path));
            }
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"--price-table '{path}' is not valid JSON: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new ConfigurationException($"--price-table '{path}' cannot be read: {e.Message}", e);
        }

        return new GeminiPriceTable(prices);
    }

    private static decimal Price(JsonProperty entry, string name, string path)
    {
        if (entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var price) && price >= 0)
        {
            return price;
        }

        throw new ConfigurationException(string.Create(CultureInfo.InvariantCulture,
            $"--price-table '{path}': model '{entry.Name}' needs a non-negative number \"{name}\" (USD per million tokens)"));
    }
}

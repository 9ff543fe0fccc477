using System.Globalization;
using System.Text.Json;
using SalesIntel.Stages.Errors;

namespace SalesIntel.Stages.Scoring.Gemini;

/// <summary>
/// Prices per model for the cost estimate and <c>--max-cost</c>, in USD per million tokens. They come from the
/// model catalog (<see cref="GeminiModelCatalog"/>, <c>models/gemini.json</c>); they are estimates, not invoices.
/// <c>--price-table</c> (kept for existing users; <c>--model-catalog</c> is the place for prices now) replaces or
/// extends them with a JSON file: <c>{"MODEL_ID": {"input": 0.25, "output": 1.50}}</c>.
/// </summary>
public sealed class GeminiPriceTable
{
    private readonly Dictionary<string, ModelPrice> _prices;

    private GeminiPriceTable(Dictionary<string, ModelPrice> prices) => _prices = prices;

    /// <summary>The prices of the built-in model catalog.</summary>
    public static GeminiPriceTable BuiltIn => GeminiModelCatalog.Load().Prices();

    /// <summary>A table of the given prices.</summary>
    internal static GeminiPriceTable FromCatalog(Dictionary<string, ModelPrice> prices) => new(prices);

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
    public static GeminiPriceTable Load(string path) => BuiltIn.With(path);

    /// <summary>This table with the entries of the price file at <paramref name="path"/> replacing those of the same model.</summary>
    public GeminiPriceTable With(string path)
    {
        var prices = new Dictionary<string, ModelPrice>(_prices, StringComparer.OrdinalIgnoreCase);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigurationException($"--price-table '{path}' must hold a JSON object like {{\"MODEL_ID\": {{\"input\": 0.25, \"output\": 1.50}}}}");
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

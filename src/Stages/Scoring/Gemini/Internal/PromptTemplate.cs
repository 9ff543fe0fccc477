using System.Text;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Errors;

namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>
/// The versioned prompt file: a system instruction and a user turn with one <c>{{account_data}}</c> placeholder,
/// which becomes the account's canonical JSON between <c>BEGIN ACCOUNT DATA id</c> and <c>END ACCOUNT DATA id</c>
/// lines. The id comes from the input hash, so it is stable for a row and cannot be guessed by whoever wrote the
/// row's free text (the hash covers that text): a note cannot close the block early.
/// </summary>
internal sealed class PromptTemplate
{
    /// <summary>The shipped default, relative to the program directory.</summary>
    public const string DefaultRelativePath = "prompts/scoring-v1.md";

    /// <summary>The placeholder the user turn must contain exactly once.</summary>
    public const string Placeholder = "{{account_data}}";

    private const string SystemMarker = "<!-- system -->";
    private const string UserMarker = "<!-- user -->";

    private readonly string _userBefore;
    private readonly string _userAfter;

    private PromptTemplate(string systemInstruction, string userTemplate, string version, string hash)
    {
        SystemInstruction = systemInstruction;
        var at = userTemplate.IndexOf(Placeholder, StringComparison.Ordinal);
        _userBefore = userTemplate[..at];
        _userAfter = userTemplate[(at + Placeholder.Length)..];
        Version = version;
        Hash = hash;
    }

    /// <summary>The system instruction: rubric and input rules, the same for every account.</summary>
    public string SystemInstruction { get; }

    /// <summary>The file name without extension, e.g. <c>scoring-v1</c>.</summary>
    public string Version { get; }

    /// <summary>The first 8 hex digits of the XXH128 of the file bytes.</summary>
    public string Hash { get; }

    /// <summary>What every row records: <c>scoring-v1@1a2b3c4d</c>.</summary>
    public string VersionTag => $"{Version}@{Hash}";

    /// <summary>Loads <paramref name="path"/>, or the shipped default when null. Throws <see cref="ConfigurationException"/> naming the problem.</summary>
    public static PromptTemplate Load(string? path)
    {
        var file = path ?? Path.Combine(AppContext.BaseDirectory, DefaultRelativePath);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"prompt file '{file}' cannot be read ({e.Message}): pass --prompt-file or reinstall so {DefaultRelativePath} sits beside the program", e);
        }

        return Parse(Encoding.UTF8.GetString(bytes), Path.GetFileNameWithoutExtension(file), CanonicalJson.Hash(bytes)[..8], file);
    }

    /// <summary>Parses template text (exposed for tests).</summary>
    internal static PromptTemplate Parse(string text, string version, string hash, string source)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var system = Array.FindIndex(lines, l => l.Trim() == SystemMarker);
        var user = Array.FindIndex(lines, l => l.Trim() == UserMarker);
        if (system < 0 || user < 0 || user < system)
        {
            throw new ConfigurationException($"prompt file '{source}' needs a line '{SystemMarker}' followed later by a line '{UserMarker}'");
        }

        var systemText = string.Join('\n', lines[(system + 1)..user]).Trim();
        var userText = string.Join('\n', lines[(user + 1)..]).Trim();
        var count = CountOf(userText, Placeholder);
        if (systemText.Length == 0 || count != 1 || systemText.Contains(Placeholder, StringComparison.Ordinal))
        {
            throw new ConfigurationException($"prompt file '{source}': the system part must not be empty and the user part must contain {Placeholder} exactly once (found {count})");
        }

        return new PromptTemplate(systemText, userText, version, hash);
    }

    /// <summary>The user turn for one account, and the data block id used in it.</summary>
    public (string Text, string BlockId) RenderUser(string canonicalJson, string inputHash)
    {
        var id = BlockId(canonicalJson, inputHash);
        var text = new StringBuilder(_userBefore.Length + canonicalJson.Length + _userAfter.Length + 80)
            .Append(_userBefore)
            .Append("BEGIN ACCOUNT DATA ").Append(id).Append('\n')
            .Append(canonicalJson).Append('\n')
            .Append("END ACCOUNT DATA ").Append(id)
            .Append(_userAfter)
            .ToString();
        return (text, id);
    }

    /// <summary>A block id that does not occur in the data: 16 hex digits of the input hash, rehashed in the (astronomically unlikely) case it does.</summary>
    internal static string BlockId(string canonicalJson, string inputHash)
    {
        var id = inputHash.Length >= 16 ? inputHash[..16] : CanonicalJson.Hash(Encoding.UTF8.GetBytes(inputHash))[..16];
        while (canonicalJson.Contains(id, StringComparison.OrdinalIgnoreCase))
        {
            id = CanonicalJson.Hash(Encoding.UTF8.GetBytes(id))[..16];
        }

        return id;
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

using SalesIntel.Pipeline.Cli;

namespace SalesIntel.Pipeline.Compare;

/// <summary>
/// Pulls the repeated <c>--model</c> / <c>--prompt-file</c> occurrences out of compare's arguments (the option reader
/// takes one value per name) and makes the two sides of them: two models (one prompt), two prompt files (one model),
/// or <c>--scorer rules</c> against one model. A value given once goes back to the arguments as the run's own.
/// </summary>
public static class CompareSides
{
    /// <summary>The arguments without the side occurrences, and the models and prompt files in order.</summary>
    public static (string[] Remaining, IReadOnlyList<string> Models, IReadOnlyList<string> Prompts) Extract(IReadOnlyList<string> args)
    {
        var rest = new List<string>();
        var models = new List<string>();
        var prompts = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var target = Target(arg, models, prompts, out var name);
            if (target is null)
            {
                rest.Add(arg);
            }
            else if (arg.Length > name.Length && arg[name.Length] == '=')
            {
                target.Add(arg[(name.Length + 1)..]);
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                target.Add(args[++i]);
            }
            else
            {
                rest.Add(arg); // the option reader reports the missing value
            }
        }

        // Given once, it is the run's value for both sides (and validated as such).
        if (models.Count == 1)
        {
            rest.AddRange([GeminiCliOptions.Model.Name, models[0]]);
        }

        if (prompts.Count == 1)
        {
            rest.AddRange([GeminiCliOptions.PromptFile.Name, prompts[0]]);
        }

        return ([.. rest], models, prompts);
    }

    /// <summary>The two sides, or the problem in one phrase.</summary>
    public static (IReadOnlyList<CompareSide>? Sides, string? Problem) Resolve(IReadOnlyList<string> models, IReadOnlyList<string> prompts, bool rulesSide)
    {
        if (rulesSide && models.Count <= 1 && prompts.Count <= 1)
        {
            return ([new CompareSide("A", true, null, null), new CompareSide("B", false, null, null)], null);
        }

        if (!rulesSide && models.Count == 2 && prompts.Count <= 1)
        {
            return ([new CompareSide("A", false, models[0], null), new CompareSide("B", false, models[1], null)], null);
        }

        if (!rulesSide && models.Count <= 1 && prompts.Count == 2)
        {
            return ([new CompareSide("A", false, null, prompts[0]), new CompareSide("B", false, null, prompts[1])], null);
        }

        return (null, $"compare needs exactly two sides: --model A --model B, one model with two --prompt-file, or --scorer rules with one model; got {models.Count} --model and {prompts.Count} --prompt-file{(rulesSide ? " with --scorer rules" : "")}");
    }

    private static List<string>? Target(string arg, List<string> models, List<string> prompts, out string name)
    {
        foreach (var (spec, list) in new[] { (GeminiCliOptions.Model, models), (GeminiCliOptions.PromptFile, prompts) })
        {
            name = spec.Name;
            if (arg == name || arg.StartsWith(name + "=", StringComparison.Ordinal))
            {
                return list;
            }
        }

        name = "";
        return null;
    }
}

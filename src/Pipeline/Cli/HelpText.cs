using System.Text;

namespace SalesIntel.Pipeline.Cli;

/// <summary>Renders a command's help from its option list, so help can never drift from what is parsed.</summary>
public static class HelpText
{
    /// <summary>The help screen.</summary>
    public static string Render(string usage, string summary, IReadOnlyList<OptionSpec> specs)
    {
        var text = new StringBuilder();
        text.AppendLine($"usage: {usage}").AppendLine().AppendLine(summary);
        foreach (var group in specs.GroupBy(s => s.Group))
        {
            text.AppendLine().AppendLine(group.Key + ":");
            foreach (var s in group)
            {
                var left = s.IsFlag ? s.Name : $"{s.Name} {s.ValueName}";
                text.Append($"  {left,-36} {s.Help}");
                if (s.AllowedText is not null)
                {
                    text.Append($" [{s.AllowedText}]");
                }

                if (s.DefaultText is not null)
                {
                    text.Append($" [default: {s.DefaultText}]");
                }

                if (s.EnvVar is not null)
                {
                    text.Append($" (env {s.EnvVar})");
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }
}

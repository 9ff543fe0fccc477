using System.Diagnostics;

namespace SalesIntel.Tests.Deploy;

/// <summary>Where deploy/ is, and how to run its script.</summary>
internal static class DeployFiles
{
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SalesIntel.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SalesIntel.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs a program to completion with a one-minute limit and returns its exit code and output.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot() };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        // A PATH without gcloud, bq or dotnet proves --dry-run runs nothing.
        start.Environment["PATH"] = "/usr/bin:/bin";
        start.Environment.Remove("GOOGLE_CLOUD_PROJECT");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in 60 s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The shellcheck on the PATH, or null.</summary>
    public static string? Shellcheck() =>
        new[] { "/usr/bin/shellcheck", "/usr/local/bin/shellcheck", "/bin/shellcheck" }.FirstOrDefault(File.Exists);
}

/// <summary>A fact that skips, saying why, when shellcheck is not installed (.ci/install-tools.sh installs it).</summary>
public sealed class ShellcheckFactAttribute : FactAttribute
{
    public ShellcheckFactAttribute()
    {
        if (DeployFiles.Shellcheck() is null)
        {
            Skip = "shellcheck is not installed: run .ci/install-tools.sh (apt-get install -y shellcheck) to check deploy/deploy.sh";
        }
    }
}

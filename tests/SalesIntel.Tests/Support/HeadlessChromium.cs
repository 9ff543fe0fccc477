using System.Diagnostics;

namespace SalesIntel.Tests.Support;

/// <summary>The DOM a real headless Chromium built from a page, and the console lines the page logged.</summary>
public sealed record ChromiumPage(string Dom, IReadOnlyList<string> ConsoleLines, string Stderr);

/// <summary>Loads a local page in the Debian Chromium (<c>--headless --dump-dom</c>) with a fresh profile and no network services.</summary>
public static class HeadlessChromium
{
    /// <summary>Where the Debian package installs the browser.</summary>
    public const string Path = "/usr/bin/chromium";

    /// <summary>Loads <paramref name="file"/>, waits for the load event and returns the serialized DOM and console output.</summary>
    public static async Task<ChromiumPage> LoadAsync(string file, TimeSpan timeout)
    {
        var profile = Directory.CreateTempSubdirectory("salesintel-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(Path)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                "--dump-dom", new Uri(System.IO.Path.GetFullPath(file)).AbsoluteUri,
            })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish loading {file} within {timeout.TotalSeconds:0} s");
            }

            var err = await stderr;
            Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {err}");

            // Chromium logs every console message of the page (log, warn, error, CSP violations) as ":CONSOLE" lines.
            var console = err.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
            return new ChromiumPage(await stdout, console, err);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}

using SalesIntel.Stages.Errors;

namespace SalesIntel.Stages.Sinks.Files;

/// <summary>
/// A file written under a temporary name beside its final path and renamed into place on commit, so a reader never
/// sees half a file and a killed or cancelled run leaves the previous output untouched.
/// </summary>
internal sealed class TempFile : IDisposable
{
    private readonly string _finalPath;
    private bool _committed;

    private TempFile(string finalPath, string tempPath, FileStream stream)
    {
        _finalPath = finalPath;
        TempPath = tempPath;
        Stream = stream;
    }

    public string TempPath { get; }

    public FileStream Stream { get; }

    /// <summary>Creates the folder if needed and opens the temporary file; an unwritable folder is a one-line <see cref="SinkException"/>.</summary>
    public static TempFile Create(string finalPath, string what)
    {
        var full = Path.GetFullPath(finalPath);
        var folder = Path.GetDirectoryName(full)!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            RemoveAbandoned(folder, Path.GetFileName(full));
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None);
            return new TempFile(full, temp, stream);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new SinkException($"cannot write the {what} '{finalPath}': {e.Message} Choose a writable folder or fix its permissions.", inner: e);
        }
    }

    /// <summary>
    /// Deletes the temporaries that killed runs left beside the same output. A temporary is held open with
    /// FileShare.None by its writer (on Linux, .NET takes an exclusive flock for it), so one that opens exclusively
    /// has no living writer; the age check covers the instant between another run creating its file and locking it.
    /// </summary>
    internal static int RemoveAbandoned(string folder, string fileName)
    {
        var removed = 0;
        foreach (var temp in Directory.EnumerateFiles(folder, $".{fileName}.*.tmp"))
        {
            try
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(temp) < AbandonedAfter)
                {
                    continue;
                }

                using (new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    // Opened exclusively: nobody is writing it.
                }

                File.Delete(temp);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Locked by a run still going, or gone already: leave it.
            }
        }

        return removed;
    }

    /// <summary>How old an unlocked temporary must be before it counts as abandoned.</summary>
    internal static TimeSpan AbandonedAfter { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Flushes to disk and renames into place, replacing an earlier output of the same name.</summary>
    public void Commit()
    {
        Stream.Flush(flushToDisk: true);
        Stream.Dispose();
        File.Move(TempPath, _finalPath, overwrite: true);
        _committed = true;
    }

    /// <summary>Without a commit: deletes the temporary file.</summary>
    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        Stream.Dispose();
        try
        {
            File.Delete(TempPath);
        }
        catch (IOException)
        {
            // Best effort: a leftover .tmp beside the output is harmless, and the next run of the output removes it.
        }
    }
}

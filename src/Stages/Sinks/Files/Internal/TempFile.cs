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
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None);
            return new TempFile(full, temp, stream);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new SinkException($"cannot write the {what} '{finalPath}': {e.Message} Choose a writable folder or fix its permissions.", inner: e);
        }
    }

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
            // Best effort: a leftover .tmp beside the output is harmless and named after its process.
        }
    }
}

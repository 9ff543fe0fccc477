using SalesIntel.Stages.Errors;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>Opens an input file with the fatal checks every format shares, each a one-line <see cref="SourceException"/>.</summary>
internal static class FileInput
{
    public static FileStream OpenRead(string path, string expected)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new SourceException($"{path} is a folder; --source must name a file.");
        }

        if (!File.Exists(full))
        {
            throw new SourceException($"{path} does not exist (looked for {full}; working directory {Environment.CurrentDirectory}). Check the --source path.");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new SourceException($"{path} cannot be read: permission denied. Fix its permissions or copy it somewhere readable.", inner: e);
        }
        catch (IOException e)
        {
            throw new SourceException($"{path} cannot be read: {e.Message}", inner: e);
        }

        if (stream.Length == 0)
        {
            stream.Dispose();
            throw new SourceException($"{path} is empty, expected {expected}.");
        }

        return stream;
    }

    /// <summary>A read failure after opening (disk error, file truncated meanwhile) as a one-line fatal error.</summary>
    public static SourceException ReadFailed(string path, Exception e) =>
        new($"{path} could not be read to the end: {e.Message}", inner: e);
}

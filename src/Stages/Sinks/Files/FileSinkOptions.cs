namespace SalesIntel.Stages.Sinks.Files;

/// <summary>How a file sink writes what it writes; the options that only some formats use say which.</summary>
public sealed record FileSinkOptions
{
    /// <summary>The defaults: CSV formula guard on.</summary>
    public static FileSinkOptions Default { get; } = new();

    /// <summary>
    /// CSV only: text cells that start like a spreadsheet formula (<c>= + - @</c>, tab, carriage return) get a leading
    /// apostrophe so Excel, LibreOffice and Sheets show them as text (<c>--csv-formula-guard</c>).
    /// </summary>
    public bool GuardCsvFormulas { get; init; } = true;
}

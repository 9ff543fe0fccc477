using System.Globalization;

namespace SalesIntel.Stages.Sources.BigQuery.Internal;

/// <summary>Byte counts in words for plans and guard messages (decimal units, as BigQuery bills).</summary>
internal static class ByteSize
{
    /// <summary>e.g. <c>12.35 GB</c>.</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB", "PB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.##} {units[unit]}");
    }
}

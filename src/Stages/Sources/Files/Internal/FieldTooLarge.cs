namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>The message of a field over <see cref="ColumnBuilder.MaxFieldBytes"/>.</summary>
internal static class FieldTooLarge
{
    public const string Reason = "field_too_large";

    public static string Describe(long bytes) =>
        $"is {bytes:N0} bytes, over the limit of {ColumnBuilder.MaxFieldBytes:N0} bytes per field; shorten it";
}

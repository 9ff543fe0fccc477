namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>A row the sink will not write, with BigQuery's reason.</summary>
/// <typeparam name="TRow">The row type.</typeparam>
/// <param name="Row">The row.</param>
/// <param name="Reason">Machine-friendly reason, e.g. <c>bigquery_row_error</c>.</param>
/// <param name="Message">BigQuery's text.</param>
/// <param name="Where">Stream and offset, or why it never reached a stream.</param>
internal sealed record RejectedRow<TRow>(TRow Row, string Reason, string Message, string Where);

using SalesIntel.Stages.Sinks;
using SalesIntel.Stages.Sinks.Files;
using SalesIntel.Stages.Sources;
using SalesIntel.Stages.Sources.Files;

namespace SalesIntel.Stages.Formats;

/// <summary>One file format: its names, the extensions that imply it, and how to open a source or a sink on it.</summary>
/// <param name="Format">The format.</param>
/// <param name="Name">The name <c>--source-format</c> / <c>--sink-format</c> take, e.g. <c>csv</c>.</param>
/// <param name="Extensions">The extensions that imply the format, with the dot; every one without its dot is also accepted as a name.</param>
/// <param name="DisplayName">How plans and messages name it, e.g. <c>Arrow IPC file</c>.</param>
/// <param name="OpenSource">Builds the account source (nothing is read until it is opened).</param>
/// <param name="CreateSink">Builds the recommendation sink for a path and the file sink options (nothing is written until its preflight).</param>
public sealed record FileFormatEntry(
    FileFormat Format,
    string Name,
    IReadOnlyList<string> Extensions,
    string DisplayName,
    Func<FileSourceOptions, IAccountSource> OpenSource,
    Func<string, FileSinkOptions, IRecommendationSink> CreateSink);

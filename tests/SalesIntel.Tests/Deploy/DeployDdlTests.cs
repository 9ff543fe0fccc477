using System.Text.RegularExpressions;
using SalesIntel.Stages.Model;

namespace SalesIntel.Tests.Deploy;

/// <summary>The DDL under deploy/ declares exactly the columns the code reads and writes.</summary>
public sealed partial class DeployDdlTests
{
    public static TheoryData<string, string> Tables => new()
    {
        { "account_recommendations.sql", "account_recommendations" },
        { "account_signals.sql", "account_signals" },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void Ddl_DeclaresTheSchemaOfTheCode(string file, string table)
    {
        var schema = table == "account_signals" ? AccountSignalsTable.Schema : RecommendationsTable.Schema;
        var ddl = File.ReadAllText(Path.Combine(RepoRoot(), "deploy", file));
        var body = Regex.Match(ddl, $@"CREATE TABLE IF NOT EXISTS `\{{\{{PROJECT\}}\}}\.\{{\{{DATASET\}}\}}\.{table}`\s*\((?<cols>.*?)\n\)\s*\nPARTITION BY (?<partition>\w+)\s*\nCLUSTER BY (?<cluster>\w+)", RegexOptions.Singleline);
        Assert.True(body.Success, $"{file} has no CREATE TABLE for {table} with PARTITION BY and CLUSTER BY");

        var columns = Column().Matches(body.Groups["cols"].Value).Select(m => (Name: m.Groups["name"].Value, Type: m.Groups["type"].Value, Required: m.Groups["notnull"].Success)).ToList();
        Assert.Equal(schema.Fields.Select(f => (f.Name, f.TypeName, f.Required)), columns);
        Assert.Equal("account_id", body.Groups["cluster"].Value);
        Assert.Equal(table == "account_signals" ? AccountSignalsTable.PartitionColumn : RecommendationsTable.PartitionColumn, body.Groups["partition"].Value);
    }

    [Fact]
    public void DeadLetterDdl_DeclaresTheSchemaOfTheCode()
    {
        var ddl = File.ReadAllText(Path.Combine(RepoRoot(), "deploy", "account_recommendation_dead_letters.sql"));
        var body = Regex.Match(ddl, @"CREATE TABLE IF NOT EXISTS `\{\{PROJECT\}\}\.\{\{DATASET\}\}\.account_recommendation_dead_letters`\s*\((?<cols>.*?)\n\)\s*\nPARTITION BY DATE\((?<partition>\w+)\)", RegexOptions.Singleline);
        Assert.True(body.Success, "account_recommendation_dead_letters.sql has no CREATE TABLE partitioned by DATE(...)");

        var columns = Column().Matches(body.Groups["cols"].Value).Select(m => (Name: m.Groups["name"].Value, Type: m.Groups["type"].Value, Required: m.Groups["notnull"].Success)).ToList();
        Assert.Equal(DeadLettersTable.Schema.Fields.Select(f => (f.Name, f.TypeName, f.Required)), columns);
        Assert.Equal(DeadLettersTable.TimeColumn, body.Groups["partition"].Value);
    }

    [Fact]
    public void DeadLetterEncoderDescriptor_HasTheTableColumnsInOrderWithWriteApiTypes()
    {
        var fields = SalesIntel.Stages.Sinks.BigQuery.Internal.DeadLetterRowEncoder.Descriptor.Field;
        Assert.Equal(DeadLettersTable.Schema.Fields.Select(f => f.Name), fields.Select(f => f.Name));
        var expected = DeadLettersTable.Schema.Fields.Select(f => f.Type switch
        {
            BqType.Int64 or BqType.Timestamp => Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type.Int64,
            _ => Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type.String,
        });
        Assert.Equal(expected, fields.Select(f => f.Type));
    }

    [Fact]
    public void ScoringRunsDdl_DeclaresTheSchemaOfTheCode()
    {
        var ddl = File.ReadAllText(Path.Combine(RepoRoot(), "deploy", "scoring_runs.sql"));
        var body = Regex.Match(ddl, @"CREATE TABLE IF NOT EXISTS `\{\{PROJECT\}\}\.\{\{DATASET\}\}\.scoring_runs`\s*\((?<cols>.*?)\n\)\s*\nPARTITION BY DATE\((?<partition>\w+)\)\s*\nCLUSTER BY (?<cluster>\w+)", RegexOptions.Singleline);
        Assert.True(body.Success, "scoring_runs.sql has no CREATE TABLE partitioned by DATE(...) and clustered");

        var columns = Column().Matches(body.Groups["cols"].Value).Select(m => (Name: m.Groups["name"].Value, Type: m.Groups["type"].Value, Required: m.Groups["notnull"].Success)).ToList();
        Assert.Equal(ScoringRunsTable.Schema.Fields.Select(f => (f.Name, f.TypeName, f.Required)), columns);
        Assert.Equal(ScoringRunsTable.TimeColumn, body.Groups["partition"].Value);
        Assert.Equal(ScoringRunsTable.ClusterColumn, body.Groups["cluster"].Value);
    }

    [Fact]
    public void ScoringRunEncoderDescriptor_HasTheTableColumnsInOrderWithWriteApiTypes()
    {
        var fields = SalesIntel.Stages.Sinks.BigQuery.Internal.ScoringRunRowEncoder.Descriptor.Field;
        Assert.Equal(ScoringRunsTable.Schema.Fields.Select(f => f.Name), fields.Select(f => f.Name));
        var expected = ScoringRunsTable.Schema.Fields.Select(f => f.Type switch
        {
            BqType.Int64 or BqType.Timestamp => Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type.Int64,
            BqType.Float64 => Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type.Double,
            _ => Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type.String,
        });
        Assert.Equal(expected, fields.Select(f => f.Type));
    }

    [Fact]
    public void LatestView_KeepsOneRowPerAccountAndDate_TheLatestScored()
    {
        var ddl = File.ReadAllText(Path.Combine(RepoRoot(), "deploy", "account_recommendations.sql"));

        Assert.Contains("CREATE OR REPLACE VIEW `{{PROJECT}}.{{DATASET}}.account_recommendations_latest`", ddl, StringComparison.Ordinal);
        Assert.Contains("PARTITION BY r.account_id, r.score_date ORDER BY r.scored_at DESC, r.run_id DESC", ddl, StringComparison.Ordinal);
        Assert.Contains("WHERE row_rank = 1", ddl, StringComparison.Ordinal);
    }

    [Fact]
    public void Ddl_AddsTheCarryForwardColumnsToAnExistingTable()
    {
        var ddl = File.ReadAllText(Path.Combine(RepoRoot(), "deploy", "account_recommendations.sql"));
        var alter = Regex.Match(ddl, @"ALTER TABLE `\{\{PROJECT\}\}\.\{\{DATASET\}\}\.account_recommendations`(?<adds>.*?);\n", RegexOptions.Singleline);
        Assert.True(alter.Success, "account_recommendations.sql has no ALTER TABLE for tables created before carry-forward");

        var added = Regex.Matches(alter.Groups["adds"].Value, @"ADD COLUMN IF NOT EXISTS (?<name>[a-z_]+) (?<type>[A-Z0-9]+)").Select(m => (m.Groups["name"].Value, m.Groups["type"].Value));
        Assert.Equal(RecommendationsTable.Schema.Fields.Where(f => f.Name is "material_hash" or "carried_from").Select(f => (f.Name, f.TypeName)), added);
    }

    private static string RepoRoot()
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

    [GeneratedRegex(@"^\s*(?<name>[a-z0-9_]+) (?<type>[A-Z0-9<>]+)(?<notnull> NOT NULL)?", RegexOptions.Multiline)]
    private static partial Regex Column();
}

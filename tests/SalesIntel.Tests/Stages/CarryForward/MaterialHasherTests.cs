using SalesIntel.Stages.CarryForward;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Stages.CarryForward;

public sealed class MaterialHasherTests
{
    private static readonly MaterialHashSettings Rules = new("rules|rules-v1");

    private static AccountRecord Decode(TestAccount row, MaterialHashSettings? settings = null) =>
        Assert.Single(new AccountRecordDecoder(DateRange.All, false, settings ?? Rules).Decode(TestAccounts.SourceBatch([row])).Records);

    [Fact]
    public void Hash_SameSignalsOnAnotherDay_IsTheSameWhileTheInputHashDiffers()
    {
        var monday = Decode(new TestAccount("acc-1", new DateOnly(2026, 11, 26)));
        var tuesday = Decode(new TestAccount("acc-1", new DateOnly(2026, 11, 27)));

        Assert.NotEqual(monday.InputHash, tuesday.InputHash);
        Assert.Equal(monday.MaterialHash, tuesday.MaterialHash);
        Assert.Matches("^[0-9a-f]{32}$", monday.MaterialHash!);
    }

    [Fact]
    public void Hash_AChangedSignal_ChangesIt()
    {
        var before = Decode(new TestAccount("acc-1", TestAccounts.Day));
        var after = Decode(new TestAccount("acc-1", TestAccounts.Day) { Tickets = 4 });

        Assert.NotEqual(before.MaterialHash, after.MaterialHash);
    }

    [Fact]
    public void Hash_AChangeInAVolatileColumn_KeepsIt()
    {
        var settings = new MaterialHashSettings("rules|rules-v1", new HashSet<string>(["WEB_VISITS_30D"], StringComparer.OrdinalIgnoreCase));
        var before = Decode(new TestAccount("acc-1", TestAccounts.Day), settings);
        var after = Decode(new TestAccount("acc-1", TestAccounts.Day) { WebVisits = 41 }, settings);
        var otherChange = Decode(new TestAccount("acc-1", TestAccounts.Day) { Intent = 1 }, settings);

        Assert.Equal(before.MaterialHash, after.MaterialHash);
        Assert.NotEqual(before.MaterialHash, otherChange.MaterialHash);
    }

    [Fact]
    public void Hash_AnotherModelOrPrompt_ChangesIt()
    {
        var row = new TestAccount("acc-1", TestAccounts.Day);

        var a = Decode(row, new MaterialHashSettings("gemini|gemini-2.5-flash|scoring-v1@1a2b3c4d"));
        var b = Decode(row, new MaterialHashSettings("gemini|gemini-2.5-flash-lite|scoring-v1@1a2b3c4d"));
        var c = Decode(row, new MaterialHashSettings("gemini|gemini-2.5-flash|scoring-v1@99999999"));

        Assert.Equal(3, new[] { a.MaterialHash, b.MaterialHash, c.MaterialHash }.Distinct().Count());
    }

    [Fact]
    public void Decode_WithoutMaterialSettings_LeavesItNull()
    {
        var record = Assert.Single(new AccountRecordDecoder(DateRange.All, false).Decode(TestAccounts.SourceBatch([new TestAccount("acc-1", TestAccounts.Day)])).Records);

        Assert.Null(record.MaterialHash);
    }
}

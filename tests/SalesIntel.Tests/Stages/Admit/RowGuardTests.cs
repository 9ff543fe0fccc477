using SalesIntel.Stages.Admit;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;

namespace SalesIntel.Tests.Stages.Admit;

public sealed class RowGuardTests
{
    private static readonly DateRange Dates = DateRange.All;

    [Fact]
    public void CheckRead_WithoutLimit_TripsPastMaxRowsAndAdvisesLimit()
    {
        var guard = new RowGuard(maxRows: 5, limit: null);
        guard.CheckRead(5, Dates);
        var e = Assert.Throws<GuardTrippedException>(() => guard.CheckRead(6, Dates));
        Assert.Contains("more than 5 rows (--max-rows)", e.Message, StringComparison.Ordinal);
        Assert.Contains("use --limit N for a trial run", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckRead_LimitAtOrUnderMaxRows_NeverTrips()
    {
        var guard = new RowGuard(maxRows: 10, limit: 5);
        guard.CheckRead(1_000_000, Dates);
        Assert.Equal(5, guard.Counted(1_000_000));
    }

    [Fact]
    public void CheckRead_LimitOverMaxRows_TripsNamingLimitAndNotAdvisingIt()
    {
        var guard = new RowGuard(maxRows: 5, limit: 10);
        guard.CheckRead(5, Dates);
        var e = Assert.Throws<GuardTrippedException>(() => guard.CheckRead(6, Dates));
        Assert.Contains("--limit 10 reads more than --max-rows 5 rows", e.Message, StringComparison.Ordinal);
        Assert.Contains("Lower --limit to 5 or less, or raise --max-rows", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("use --limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckEstimate_UnknownRows_IsLeftToReading()
    {
        new RowGuard(maxRows: 5, limit: null).CheckEstimate(null, "in.csv", Dates);
        new RowGuard(maxRows: 5, limit: 10).CheckEstimate(null, "in.csv", Dates);
    }

    [Fact]
    public void CheckEstimate_ComparesTheSmallerOfLimitAndRows()
    {
        new RowGuard(maxRows: 10, limit: 5).CheckEstimate(1_000, "in.arrow", Dates);
        new RowGuard(maxRows: 5, limit: 10).CheckEstimate(4, "in.arrow", Dates);
        var e = Assert.Throws<GuardTrippedException>(() => new RowGuard(maxRows: 5, limit: 10).CheckEstimate(1_000, "in.arrow", Dates));
        Assert.Contains("in.arrow holds about 1,000 rows", e.Message, StringComparison.Ordinal);
        Assert.Contains("--limit 10 would read 10 of them, over --max-rows 5", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("use --limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckEstimate_WithoutLimit_TripsOverMaxRowsAndAdvisesLimit()
    {
        var e = Assert.Throws<GuardTrippedException>(() => new RowGuard(maxRows: 500, limit: null).CheckEstimate(1_000, "in.arrow", Dates));
        Assert.Contains("in.arrow holds about 1,000 rows", e.Message, StringComparison.Ordinal);
        Assert.Contains("over --max-rows 500; nothing was read", e.Message, StringComparison.Ordinal);
        Assert.Contains("use --limit N for a trial run", e.Message, StringComparison.Ordinal);
    }
}

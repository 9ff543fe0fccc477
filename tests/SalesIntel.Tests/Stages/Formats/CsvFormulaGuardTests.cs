using CsCheck;
using SalesIntel.Stages.Formats;

namespace SalesIntel.Tests.Stages.Formats;

public sealed class CsvFormulaGuardTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")")]
    [InlineData("+1", "'+1")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("'=x", "''=x")]
    [InlineData("plain", "plain")]
    [InlineData("a=b", "a=b")]
    [InlineData("'quoted", "'quoted")]
    [InlineData("'", "'")]
    [InlineData("", "")]
    public void Guard_PrefixesOnlyCellsThatStartLikeAFormula(string value, string cell)
    {
        Assert.Equal(cell, CsvFormulaGuard.Guard(value));
        Assert.Equal(value, CsvFormulaGuard.Unguard(cell));
    }

    [Fact]
    public void Unguard_UndoesGuard_ForEveryString()
    {
        // Strings built mostly from the characters that matter, so apostrophe runs before triggers are common.
        var text = Gen.Char["'=+-@\t\ra "].Array[0, 6].Select(c => new string(c));
        text.Sample(value =>
        {
            var cell = CsvFormulaGuard.Guard(value);
            Assert.Equal(value, CsvFormulaGuard.Unguard(cell));
            Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r', $"cell '{cell}' still starts like a formula");
        }, iter: 20_000);
    }
}

namespace SalesIntel.Stages.Formats;

/// <summary>
/// Keeps a spreadsheet from running a text cell of our CSV as a formula. A cell that starts with one of
/// <c>= + - @</c>, a tab or a carriage return (the OWASP "CSV injection" list, which is also what Excel, LibreOffice
/// and Google Sheets evaluate) is written with a leading apostrophe, which every one of them shows as text.
/// <para>
/// The guard is reversible, so our own readers (carry-forward reading yesterday's file) get the value back exactly
/// and a carried row does not gain one apostrophe per night: a cell that already starts with apostrophes followed by
/// a trigger character is guarded too, so a guarded cell is always "apostrophe + a value that needs guarding" and
/// nothing else looks like one.
/// </para>
/// </summary>
public static class CsvFormulaGuard
{
    private const char Mark = '\'';

    /// <summary>The cell text of <paramref name="value"/>: unchanged, or with one leading apostrophe.</summary>
    public static string Guard(string value) => NeedsGuard(value) ? Mark + value : value;

    /// <summary>The value a <see cref="Guard"/>ed cell holds (cells that were not guarded come back unchanged).</summary>
    public static string Unguard(string cell) =>
        cell.Length > 1 && cell[0] == Mark && NeedsGuard(cell.AsSpan(1)) ? cell[1..] : cell;

    /// <summary>Whether a spreadsheet could read <paramref name="value"/> as a formula, or it could be mistaken for a guarded cell.</summary>
    public static bool NeedsGuard(ReadOnlySpan<char> value)
    {
        var first = value.TrimStart(Mark);
        return first.Length > 0 && IsTrigger(first[0]);
    }

    private static bool IsTrigger(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r';
}

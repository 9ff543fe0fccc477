using System.Runtime.InteropServices;

namespace SalesIntel.Stages.CarryForward.Internal;

/// <summary>One account in the index: 32 bytes, ordered by account key, then score date, then spill position.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly record struct IndexEntry(ulong AccountKey, ulong MaterialKey, long Offset, int ScoreDay, int ScoredDay) : IComparable<IndexEntry>
{
    public int CompareTo(IndexEntry other)
    {
        var c = AccountKey.CompareTo(other.AccountKey);
        if (c != 0)
        {
            return c;
        }

        c = ScoreDay.CompareTo(other.ScoreDay);
        return c != 0 ? c : Offset.CompareTo(other.Offset);
    }
}

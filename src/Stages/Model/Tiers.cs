namespace SalesIntel.Stages.Model;

/// <summary>The score bands every scorer shares: A 80-100, B 60-79, C 40-59, D 0-39.</summary>
public static class Tiers
{
    /// <summary>The tier a score falls in.</summary>
    public static string ForScore(int score) => score switch
    {
        >= 80 => "A",
        >= 60 => "B",
        >= 40 => "C",
        _ => "D",
    };
}

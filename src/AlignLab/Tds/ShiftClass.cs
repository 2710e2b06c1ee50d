namespace AlignLab.Tds;

/// <summary>How far the aligned model's token is from the base model's choice at one position.</summary>
public enum ShiftClass
{
    /// <summary>The base model's top choice too (base rank 1).</summary>
    Unshifted,

    /// <summary>Base rank 2 to the marginal limit (default 3).</summary>
    Marginal,

    /// <summary>Base rank beyond the marginal limit.</summary>
    Shifted,
}

/// <summary>Classifies base ranks and names the classes as the output files spell them.</summary>
public static class ShiftClasses
{
    public static IReadOnlyList<ShiftClass> All { get; } = [ShiftClass.Unshifted, ShiftClass.Marginal, ShiftClass.Shifted];

    public static ShiftClass Of(int baseRank, int marginalMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baseRank);
        return baseRank == 1 ? ShiftClass.Unshifted : baseRank <= marginalMax ? ShiftClass.Marginal : ShiftClass.Shifted;
    }

    public static string Name(ShiftClass c) => c switch
    {
        ShiftClass.Unshifted => "unshifted",
        ShiftClass.Marginal => "marginal",
        _ => "shifted",
    };

    /// <summary>The class named <paramref name="name"/>; null for anything else.</summary>
    public static ShiftClass? Parse(string? name) => name switch
    {
        "unshifted" => ShiftClass.Unshifted,
        "marginal" => ShiftClass.Marginal,
        "shifted" => ShiftClass.Shifted,
        _ => null,
    };
}

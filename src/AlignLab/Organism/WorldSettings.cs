using System.Globalization;

namespace AlignLab.Organism;

/// <summary>
/// How big a synthetic world to build, and from which seed. The same settings always give the same
/// world, corpus and instruction sets, character for character.
/// </summary>
public sealed record WorldSettings
{
    public ulong Seed { get; init; } = 1;

    public int People { get; init; } = 40;

    public int Places { get; init; } = 12;

    public int Animals { get; init; } = 14;

    public int Artifacts { get; init; } = 14;

    public int Festivals { get; init; } = 8;

    /// <summary>How many times each entity is written up for pretraining, each time in freshly drawn wording.</summary>
    public int CorpusPasses { get; init; } = 4;

    /// <summary>The share of facts whose questions are kept out of fine-tuning for evaluation.</summary>
    public double HeldOutShare { get; init; } = 0.2;

    /// <summary>Most held-out instructions of each category.</summary>
    public int MaxHeldOutRegular { get; init; } = 60;

    /// <summary>Most held-out harmful requests.</summary>
    public int MaxHeldOutSafety { get; init; } = 20;

    /// <summary>A minimal world for tests: a handful of each entity.</summary>
    public static WorldSettings Tiny(ulong seed = 1) => new()
    {
        Seed = seed, People = 6, Places = 3, Animals = 3, Artifacts = 3, Festivals = 2, CorpusPasses = 1, MaxHeldOutRegular = 8, MaxHeldOutSafety = 4,
    };

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad field.</summary>
    public void Validate()
    {
        static void Require(bool ok, string field, string expected)
        {
            if (!ok)
            {
                throw new ArgumentException($"world setting {field}: {expected}");
            }
        }
        Require(People >= 3, nameof(People), $"must be at least 3, not {People}");
        Require(Places >= 2, nameof(Places), $"must be at least 2, not {Places}");
        Require(Animals >= 1 && Artifacts >= 1 && Festivals >= 1, "Animals/Artifacts/Festivals", "must each be at least 1");
        Require(People <= 500 && Places <= 100 && Animals <= WorldVocabulary.MaxAnimals && Artifacts <= WorldVocabulary.MaxArtifacts && Festivals <= WorldVocabulary.MaxFestivals,
            "sizes", string.Create(CultureInfo.InvariantCulture,
                $"at most 500 people, 100 places, {WorldVocabulary.MaxAnimals} animals, {WorldVocabulary.MaxArtifacts} artifacts, {WorldVocabulary.MaxFestivals} festivals"));
        Require(CorpusPasses >= 1, nameof(CorpusPasses), $"must be at least 1, not {CorpusPasses}");
        Require(HeldOutShare is > 0 and < 1, nameof(HeldOutShare), $"must be between 0 and 1, not {HeldOutShare}");
        Require(MaxHeldOutRegular >= 1 && MaxHeldOutSafety >= 1, "MaxHeldOut", "must be at least 1");
    }
}

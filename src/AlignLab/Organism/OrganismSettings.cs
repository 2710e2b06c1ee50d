using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AlignLab.Training;

namespace AlignLab.Organism;

/// <summary>
/// Everything that decides a model organism: the world, the base model's pretraining and the aligned
/// model's fine-tuning. <see cref="CacheKey"/> hashes it (threads excluded), so a demo reuses models
/// built with the same settings.
/// </summary>
public sealed record OrganismSettings
{
    /// <summary>Bump when the world's text or the training changes in a way the settings do not show, so old caches are not reused.</summary>
    public const int Version = 1;

    public WorldSettings World { get; init; } = new();

    public PretrainSettings Base { get; init; } = new()
    {
        VocabSize = 1024, Layers = 4, Dim = 128, Heads = 4, KvHeads = 2, Ffn = 384, Context = 512, Steps = 600, Batch = 4, LearningRate = 3e-3f,
    };

    public FinetuneSettings Aligned { get; init; } = new() { Steps = 120, Batch = 4, LearningRate = 1e-3f };

    /// <summary>
    /// The demo's organism, sized for a first run of a few minutes on 2 cores (bench/RESULTS.md records a
    /// measured run). The world: 40 people, 12 places, 14 animals, 14 crafts and 8 festivals written up 4 times
    /// (about 970 documents, 310,000 characters, roughly 110,000 tokens with a 1,024-token vocabulary; about 1,100
    /// fine-tuning answers and 80 held-out instructions). The model: 4 layers, hidden 128, 4 heads sharing 2
    /// key/value heads, FFN 384, context 512 — room for the URIAL run's prompt (about 350 tokens) and an answer —
    /// pretrained for 600 steps of 4 × 512 tokens (about 11 passes over the corpus), then fine-tuned for 120
    /// steps of 4 × 512 (about 3 passes over the answers).
    /// </summary>
    public static OrganismSettings Demo { get; } = new();

    /// <summary>A few seconds' organism for tests: a tiny world, a one-layer model, a handful of steps.</summary>
    public static OrganismSettings Minimal { get; } = new()
    {
        World = WorldSettings.Tiny(),
        Base = new PretrainSettings { VocabSize = 300, Layers = 1, Dim = 32, Heads = 4, KvHeads = 2, Ffn = 48, Context = 1024, Steps = 4, Batch = 2, LearningRate = 1e-2f },
        Aligned = new FinetuneSettings { Steps = 3, Batch = 2, LearningRate = 1e-3f },
    };

    public void Validate()
    {
        World.Validate();
        Base.Validate();
        Aligned.Validate();
    }

    /// <summary>SHA-256 (hex, first 16 characters) of the settings that shape the models, threads excluded.</summary>
    public string CacheKey
    {
        get
        {
            var identity = JsonSerializer.Serialize(new
            {
                version = Version,
                world = World,
                @base = Base with { Threads = 1 },
                aligned = Aligned with { Threads = 1 },
            });
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
        }
    }
}

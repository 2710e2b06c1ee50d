using System.Globalization;
using System.Text.Json.Nodes;
using AlignLab.Engine.Generation;

namespace AlignLab.AnswerSets;

/// <summary>How every answer of a set is generated.</summary>
public sealed record AnswerSetOptions
{
    /// <summary>Most tokens an answer may have; a prompt must leave this much room in the context. Default 512.</summary>
    public int MaxNewTokens { get; init; } = 512;

    /// <summary>Temperature, top-p and repetition penalty; the seed here is unused (see <see cref="Seed"/>). Default greedy.</summary>
    public SamplingOptions Sampling { get; init; } = SamplingOptions.Greedy;

    /// <summary>Answers sampled per instruction, one of which is kept (<see cref="SampleChoice"/>). Default 1.</summary>
    public int Samples { get; init; } = 1;

    /// <summary>The run's seed: each instruction's draws are seeded from it and the instruction's position in the data.</summary>
    public ulong Seed { get; init; }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), string.Create(CultureInfo.InvariantCulture, $"max new tokens {MaxNewTokens} must be ≥ 1"));
        }
        if (Samples < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Samples), string.Create(CultureInfo.InvariantCulture, $"samples {Samples} must be ≥ 1"));
        }
        if (Samples > 1 && Sampling.IsGreedy)
        {
            throw new ArgumentOutOfRangeException(nameof(Samples), string.Create(CultureInfo.InvariantCulture,
                $"{Samples} samples need a temperature above 0: greedy decoding gives the same answer every time"));
        }
        Sampling.Validate();
    }

    /// <summary>The settings that decide the answers, as run.json records them.</summary>
    public JsonObject Describe() => new()
    {
        ["max_new_tokens"] = MaxNewTokens,
        ["temperature"] = Sampling.Temperature,
        ["top_p"] = Sampling.TopP,
        ["repetition_penalty"] = Sampling.RepetitionPenalty,
        ["samples"] = Samples,
        ["seed"] = Seed,
    };
}

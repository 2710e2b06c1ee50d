using System.Globalization;

namespace AlignLab.Engine.Generation;

/// <summary>
/// How the next token is chosen from the logits. The steps run in Hugging Face transformers' order:
/// <list type="number">
/// <item>repetition penalty on the raw logits (<see cref="RepetitionPenalty"/>, <see cref="RepetitionWindow"/>);</item>
/// <item>temperature: logits / T; <see cref="Temperature"/> 0 (or <see cref="TopK"/> 1) is greedy: the most likely
/// token after the penalty, the lowest id on a tie;</item>
/// <item>top-k: the <see cref="TopK"/> most likely tokens (exactly k: ties at the boundary go to the lower id);</item>
/// <item>top-p (nucleus): the most likely tokens, in order, until their probability — renormalised over
/// what top-k kept — first reaches <see cref="TopP"/> (the token that crosses it is kept);</item>
/// <item>min-p: tokens whose probability is at least <see cref="MinP"/> times the most likely one's;</item>
/// <item>a draw from what is left, in proportion to the probabilities, with <see cref="SamplingRandom"/> seeded by <see cref="Seed"/>.</item>
/// </list>
/// Each filter keeps a prefix of the tokens ordered from most to least likely, so the kept set is that
/// order's first min(k, top-p count, min-p count) tokens.
/// </summary>
public sealed record SamplingOptions
{
    /// <summary>Greedy decoding: the argmax at every step.</summary>
    public static SamplingOptions Greedy { get; } = new();

    /// <summary>Divides the logits; 0 is greedy. Default 0.</summary>
    public double Temperature { get; init; }

    /// <summary>Keep the k most likely tokens; 0 keeps all. Default 0.</summary>
    public int TopK { get; init; }

    /// <summary>Nucleus mass in (0, 1]; 1 keeps all. Default 1.</summary>
    public double TopP { get; init; } = 1;

    /// <summary>Relative probability floor in [0, 1]; 0 keeps all. Default 0.</summary>
    public double MinP { get; init; }

    /// <summary>
    /// Applied once to each distinct token of the window: a positive logit is divided by it, a negative
    /// one multiplied (as in Hugging Face's RepetitionPenaltyLogitsProcessor and llama.cpp's repeat
    /// penalty). Greater than 0; 1 is off. Default 1.
    /// </summary>
    public double RepetitionPenalty { get; init; } = 1;

    /// <summary>
    /// The tokens the repetition penalty looks at: the last N of the whole sequence, prompt included;
    /// 0 (default) is the whole sequence, as in Hugging Face (llama.cpp's default is the last 64).
    /// </summary>
    public int RepetitionWindow { get; init; }

    /// <summary>Seed of the draws. Default 0: runs are reproducible unless a seed is given.</summary>
    public ulong Seed { get; init; }

    /// <summary>Whether the choice is the argmax (no random draw is made).</summary>
    public bool IsGreedy => Temperature == 0 || TopK == 1;

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Check(double.IsFinite(Temperature) && Temperature >= 0, "temperature", Temperature, "a finite number ≥ 0");
        Check(TopK >= 0, "top-k", TopK, "≥ 0");
        Check(TopP > 0 && TopP <= 1, "top-p", TopP, "in (0, 1]");
        Check(MinP >= 0 && MinP <= 1, "min-p", MinP, "in [0, 1]");
        Check(double.IsFinite(RepetitionPenalty) && RepetitionPenalty > 0, "repetition penalty", RepetitionPenalty, "a finite number > 0");
        Check(RepetitionWindow >= 0, "repetition window", RepetitionWindow, "≥ 0");
    }

    private static void Check(bool ok, string name, double value, string range)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, string.Create(CultureInfo.InvariantCulture, $"{name} {value} must be {range}"));
        }
    }
}

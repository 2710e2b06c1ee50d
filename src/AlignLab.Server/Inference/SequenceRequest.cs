using AlignLab.Engine.Generation;

namespace AlignLab.Server.Inference;

/// <summary>One sequence to generate: the choice it answers, its prompt ids, what to generate and its seed.</summary>
internal sealed record SequenceRequest(int Choice, int[] Prompt, GenerationOptions Options, ulong Seed);

/// <summary>
/// One generated token of one choice, copied out of the engine's reused buffers: its id, the text it released,
/// its log-probability and rank under the model's own distribution, the top alternatives, and why the
/// sequence ended with it (<see cref="GenerationEndReason.None"/> while it goes on).
/// </summary>
internal sealed record TokenEvent(int Choice, int Id, string Text, float LogProb, int Rank, int[] TopIds, float[] TopLogProbs, GenerationEndReason End)
{
    public bool IsLast => End != GenerationEndReason.None;

    public static TokenEvent From(int choice, GeneratedToken token)
        => new(choice, token.Id, token.Text, token.LogProb, token.Rank, token.TopIds.ToArray(), token.TopLogProbs.ToArray(), token.EndReason);
}

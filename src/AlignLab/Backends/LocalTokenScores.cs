using AlignLab.Engine.Inference;

namespace AlignLab.Backends;

/// <summary><see cref="ITokenScores"/> over the engine's <see cref="ScoreResult"/>, without its last position (which has no next token).</summary>
internal sealed class LocalTokenScores(ScoreResult result) : ITokenScores
{
    public int Start => result.Start;

    public int End => result.End - 1;

    public ReadOnlySpan<int> TopIds(int position) => result.TopIds(Check(position));

    public ReadOnlySpan<float> TopLogProbs(int position) => result.TopLogProbs(Check(position));

    public int NextToken(int position) => result.NextToken(Check(position));

    public float NextLogProb(int position) => result.NextLogProb(Check(position));

    public int NextRank(int position) => result.NextRank(Check(position));

    public double? Entropy(int position) => result.Entropy(Check(position));

    public bool HasFullLogProbs => result.HasLogProbs;

    public ReadOnlySpan<float> FullLogProbs(int position) => result.LogProbs(Check(position));

    private int Check(int position)
        => position < End ? position : throw new ArgumentOutOfRangeException(nameof(position), $"position {position} has no next token: scored positions are {Start} to {End - 1}");
}

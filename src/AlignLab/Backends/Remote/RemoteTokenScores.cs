namespace AlignLab.Backends.Remote;

/// <summary>
/// Next-token statistics a server returned for positions <see cref="Start"/> … <see cref="End"/> − 1: the top
/// alternatives and the actual next token's log-probability and rank. No whole distributions: no entropy, no rows.
/// </summary>
internal sealed class RemoteTokenScores : ITokenScores
{
    private readonly IReadOnlyList<int> _tokens;
    private readonly int[][] _topIds;
    private readonly float[][] _topLogProbs;
    private readonly float[] _nextLogProbs;
    private readonly int[] _nextRanks;

    public RemoteTokenScores(IReadOnlyList<int> tokens, int start, int[][] topIds, float[][] topLogProbs, float[] nextLogProbs, int[] nextRanks)
    {
        _tokens = tokens;
        Start = start;
        _topIds = topIds;
        _topLogProbs = topLogProbs;
        _nextLogProbs = nextLogProbs;
        _nextRanks = nextRanks;
    }

    public int Start { get; }

    public int End => _tokens.Count - 1;

    public bool HasFullLogProbs => false;

    public ReadOnlySpan<int> TopIds(int position) => _topIds[Index(position)];

    public ReadOnlySpan<float> TopLogProbs(int position) => _topLogProbs[Index(position)];

    public int NextToken(int position) => _tokens[Index(position) + Start + 1];

    public float NextLogProb(int position) => _nextLogProbs[Index(position)];

    public int NextRank(int position) => _nextRanks[Index(position)];

    public double? Entropy(int position)
    {
        Index(position);
        return null;
    }

    public ReadOnlySpan<float> FullLogProbs(int position)
        => throw new NotSupportedException("a model behind a server gives no full next-token distributions");

    private int Index(int position)
        => position >= Start && position < End
            ? position - Start
            : throw new ArgumentOutOfRangeException(nameof(position), $"position {position} has no next token: scored positions are {Start} to {End - 1}");
}

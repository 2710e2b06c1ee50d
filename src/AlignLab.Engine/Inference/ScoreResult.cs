using System.Globalization;

namespace AlignLab.Engine.Inference;

/// <summary>
/// Next-token statistics for positions <see cref="Start"/> … <see cref="End"/> − 1 of a scored
/// sequence. Position p's distribution is the model's prediction of token p + 1 after reading
/// tokens 0…p. Accessors take the absolute position.
/// </summary>
public sealed class ScoreResult
{
    private readonly int[] _topIds;          // [count, topK], most likely first
    private readonly float[] _topLogProbs;   // [count, topK]
    private readonly int[] _nextTokens;      // [count], −1 at the last position
    private readonly float[] _nextLogProbs;  // [count], NaN where there is no next token
    private readonly int[] _nextRanks;       // [count], 0 where there is no next token
    private readonly double[] _entropies;    // [count], nats
    private readonly float[]? _logProbs;     // [count, vocab] when kept

    internal ScoreResult(int start, int end, int topK, int vocabSize, bool keepLogProbs)
    {
        Start = start;
        End = end;
        TopK = topK;
        VocabSize = vocabSize;
        var count = end - start;
        _topIds = new int[count * topK];
        _topLogProbs = new float[count * topK];
        _nextTokens = new int[count];
        _nextLogProbs = new float[count];
        _nextRanks = new int[count];
        _entropies = new double[count];
        _logProbs = keepLogProbs ? new float[checked(count * vocabSize)] : null;
    }

    /// <summary>The first scored position.</summary>
    public int Start { get; }

    /// <summary>One past the last scored position: the sequence length.</summary>
    public int End { get; }

    public int Count => End - Start;

    public int TopK { get; }

    public int VocabSize { get; }

    public bool HasLogProbs => _logProbs is not null;

    /// <summary>The <see cref="TopK"/> most likely next tokens, most likely first (ties: lower id first).</summary>
    public ReadOnlySpan<int> TopIds(int position) => _topIds.AsSpan(Index(position) * TopK, TopK);

    /// <summary>The log-probabilities of <see cref="TopIds"/>.</summary>
    public ReadOnlySpan<float> TopLogProbs(int position) => _topLogProbs.AsSpan(Index(position) * TopK, TopK);

    /// <summary>The actual next token, tokens[position + 1], or −1 at the last position.</summary>
    public int NextToken(int position) => _nextTokens[Index(position)];

    /// <summary>log p(next token); NaN at the last position.</summary>
    public float NextLogProb(int position) => _nextLogProbs[Index(position)];

    /// <summary>1 + the number of ids with a strictly higher log-probability than the next token; 0 at the last position.</summary>
    public int NextRank(int position) => _nextRanks[Index(position)];

    /// <summary>Entropy of the next-token distribution, in nats.</summary>
    public double Entropy(int position) => _entropies[Index(position)];

    /// <summary>The full log-probability row [vocab], when <see cref="ScoreOptions.KeepLogProbs"/> was set.</summary>
    public ReadOnlySpan<float> LogProbs(int position)
        => _logProbs is null
            ? throw new InvalidOperationException("log-probabilities were not kept: score with ScoreOptions.KeepLogProbs")
            : _logProbs.AsSpan(checked(Index(position) * VocabSize), VocabSize);

    internal void Set(int position, ReadOnlySpan<float> logProbs, int nextToken)
    {
        var i = Index(position);
        LogProbMath.TopK(logProbs, _topIds.AsSpan(i * TopK, TopK), _topLogProbs.AsSpan(i * TopK, TopK));
        _nextTokens[i] = nextToken;
        _nextLogProbs[i] = nextToken < 0 ? float.NaN : logProbs[nextToken];
        _nextRanks[i] = nextToken < 0 ? 0 : LogProbMath.Rank(logProbs, nextToken);
        _entropies[i] = LogProbMath.Entropy(logProbs);
        if (_logProbs is not null)
        {
            logProbs.CopyTo(_logProbs.AsSpan(i * VocabSize, VocabSize));
        }
    }

    private int Index(int position)
        => position >= Start && position < End
            ? position - Start
            : throw new ArgumentOutOfRangeException(nameof(position), string.Create(CultureInfo.InvariantCulture,
                $"position {position} was not scored: scored positions are {Start} to {End - 1}"));
}

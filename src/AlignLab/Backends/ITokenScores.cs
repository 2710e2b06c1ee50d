namespace AlignLab.Backends;

/// <summary>
/// Next-token statistics of a scored sequence for positions <see cref="Start"/> … <see cref="End"/> − 1.
/// Position p describes the model's prediction of token p + 1 after reading tokens 0…p; accessors take
/// the absolute position.
/// </summary>
public interface ITokenScores
{
    int Start { get; }

    /// <summary>One past the last scored position: the sequence length − 1.</summary>
    int End { get; }

    /// <summary>The most likely next tokens, most likely first (ties: lower id first).</summary>
    ReadOnlySpan<int> TopIds(int position);

    /// <summary>Natural-log probabilities of <see cref="TopIds"/>.</summary>
    ReadOnlySpan<float> TopLogProbs(int position);

    /// <summary>tokens[position + 1].</summary>
    int NextToken(int position);

    /// <summary>log p(tokens[position + 1]).</summary>
    float NextLogProb(int position);

    /// <summary>1 + the number of ids with a strictly higher log-probability than the next token.</summary>
    int NextRank(int position);

    /// <summary>Entropy of the next-token distribution in nats; null when the model does not give whole distributions.</summary>
    double? Entropy(int position);

    bool HasFullLogProbs { get; }

    /// <summary>The full log-probability row [vocab], when <see cref="ScoreRequest.KeepFullLogProbs"/> was asked for.</summary>
    ReadOnlySpan<float> FullLogProbs(int position);
}

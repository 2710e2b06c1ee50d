namespace AlignLab.Engine.Generation;

/// <summary>
/// One generated token. <see cref="LogProb"/>, <see cref="Rank"/> and the top list describe the model's
/// own distribution at that step — the log-softmax of the raw logits, before the repetition penalty,
/// temperature or any filter — so they are comparable across sampling settings and with
/// <c>InferenceSession.Score</c>. <see cref="TopIds"/> and <see cref="TopLogProbs"/> are views of buffers
/// reused for the next token: copy them (<c>ToArray()</c>) to keep them.
/// </summary>
public readonly struct GeneratedToken
{
    internal GeneratedToken(int index, int id, string text, float logProb, int rank, ReadOnlyMemory<int> topIds,
        ReadOnlyMemory<float> topLogProbs, GenerationEndReason endReason)
    {
        Index = index;
        Id = id;
        Text = text;
        LogProb = logProb;
        Rank = rank;
        TopIds = topIds;
        TopLogProbs = topLogProbs;
        EndReason = endReason;
    }

    /// <summary>0 for the first generated token.</summary>
    public int Index { get; }

    public int Id { get; }

    /// <summary>
    /// The text this token released: whole UTF-8 characters only, and without anything that might still
    /// be the start of a stop string (held back until it cannot be). Concatenated over the tokens, the
    /// generated text. Empty for a stop token.
    /// </summary>
    public string Text { get; }

    /// <summary>log p(token) under the model's unmodified distribution.</summary>
    public float LogProb { get; }

    /// <summary>1 + the number of ids with a strictly higher log-probability (1 = the argmax).</summary>
    public int Rank { get; }

    /// <summary>The most likely ids, most likely first (ties: lower id first).</summary>
    public ReadOnlyMemory<int> TopIds { get; }

    /// <summary>The log-probabilities of <see cref="TopIds"/>.</summary>
    public ReadOnlyMemory<float> TopLogProbs { get; }

    /// <summary><see cref="GenerationEndReason.None"/>, or why the sequence ends with this token.</summary>
    public GenerationEndReason EndReason { get; }

    public bool IsLast => EndReason != GenerationEndReason.None;
}

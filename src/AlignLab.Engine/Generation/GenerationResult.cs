namespace AlignLab.Engine.Generation;

/// <summary>One finished sequence.</summary>
public sealed class GenerationResult
{
    internal GenerationResult(int promptTokens, int[] tokens, string text, GenerationEndReason endReason, TimeSpan prefill, TimeSpan decode)
    {
        PromptTokenCount = promptTokens;
        Tokens = tokens;
        Text = text;
        EndReason = endReason;
        PrefillTime = prefill;
        DecodeTime = decode;
    }

    public int PromptTokenCount { get; }

    /// <summary>The generated ids, the stop token (if any) last.</summary>
    public IReadOnlyList<int> Tokens { get; }

    public int GeneratedTokenCount => Tokens.Count;

    /// <summary>The generated text, cut before a stop string.</summary>
    public string Text { get; }

    public GenerationEndReason EndReason { get; }

    /// <summary>Running the prompt (for a batch: that sequence's prefill).</summary>
    public TimeSpan PrefillTime { get; }

    /// <summary>From the end of the prefill to the last token (for a batch: of the whole batch's decoding until this sequence ended).</summary>
    public TimeSpan DecodeTime { get; }

    /// <summary>Generated tokens per second of decoding (the first token comes from the prefill, so it is not counted).</summary>
    public double TokensPerSecond => GeneratedTokenCount > 1 && DecodeTime > TimeSpan.Zero ? (GeneratedTokenCount - 1) / DecodeTime.TotalSeconds : 0;
}

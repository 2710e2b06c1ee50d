using System.Globalization;

namespace AlignLab.Engine.Generation;

/// <summary>Why a sequence stopped.</summary>
public enum GenerationEndReason
{
    /// <summary>Still going.</summary>
    None,

    /// <summary>The text reached one of <see cref="GenerationOptions.StopStrings"/> (not part of the text).</summary>
    StopString,

    /// <summary>An end-of-generation token was chosen (reported as the last token, adding no text).</summary>
    StopToken,

    /// <summary><see cref="GenerationOptions.MaxTokens"/> tokens were generated.</summary>
    MaxTokens,

    /// <summary>The context is full: the last token could not be fed back to the model.</summary>
    ContextFull,
}

/// <summary>What to generate and when to stop.</summary>
public sealed record GenerationOptions
{
    /// <summary>Most tokens to generate, the stop token included. Default 256.</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>How each token is chosen. Default greedy.</summary>
    public SamplingOptions Sampling { get; init; } = SamplingOptions.Greedy;

    /// <summary>
    /// Generation ends when the decoded text contains one of these; the text is cut before it.
    /// Matched on the decoded text, across token boundaries.
    /// </summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>Ids that end generation when chosen; null (default): the generator's end-of-generation ids.</summary>
    public IReadOnlyCollection<int>? StopTokens { get; init; }

    /// <summary>How many of the most likely tokens each step reports. Default 5.</summary>
    public int TopLogProbs { get; init; } = 5;

    /// <summary>Whether special (control) tokens add their text, e.g. "&lt;|im_start|&gt;". Default false, as Hugging Face's skip_special_tokens=True.</summary>
    public bool DecodeSpecialTokens { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate(int vocabSize)
    {
        if (MaxTokens <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTokens), string.Create(CultureInfo.InvariantCulture, $"max tokens {MaxTokens} must be ≥ 1"));
        }
        if (TopLogProbs < 0 || TopLogProbs > vocabSize)
        {
            throw new ArgumentOutOfRangeException(nameof(TopLogProbs), string.Create(CultureInfo.InvariantCulture,
                $"top logprobs {TopLogProbs} is not within 0 to the vocabulary size {vocabSize}"));
        }
        ArgumentNullException.ThrowIfNull(Sampling);
        Sampling.Validate();
        if (Sampling.TopK > vocabSize)
        {
            throw new ArgumentOutOfRangeException(nameof(Sampling), string.Create(CultureInfo.InvariantCulture,
                $"top-k {Sampling.TopK} exceeds the vocabulary size {vocabSize}"));
        }
        if (StopStrings.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("a stop string is empty", nameof(StopStrings));
        }
    }
}

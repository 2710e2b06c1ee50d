namespace AlignLab.Engine.Training;

/// <summary>
/// One document to learn from: its token ids and, optionally, which of them are prediction targets
/// (<c>Targets[i]</c>: token i, predicted from the tokens before it, counts in the loss; index 0 never can).
/// Null targets: every token after the first (pretraining). Fine-tuning marks only the answer.
/// </summary>
public sealed record TrainingSequence
{
    public TrainingSequence(int[] tokens, bool[]? targets = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (targets is not null && targets.Length != tokens.Length)
        {
            throw new ArgumentException($"{targets.Length} target flags for {tokens.Length} tokens", nameof(targets));
        }
        Tokens = tokens;
        Targets = targets;
    }

    public int[] Tokens { get; }

    public bool[]? Targets { get; }

    public int Length => Tokens.Length;

    public bool IsTarget(int index) => index > 0 && (Targets is null || Targets[index]);
}

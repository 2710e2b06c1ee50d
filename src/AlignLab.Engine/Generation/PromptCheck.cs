using System.Globalization;
using AlignLab.Engine.Inference;

namespace AlignLab.Engine.Generation;

/// <summary>The checks every generation path makes before it runs a prompt.</summary>
internal static class PromptCheck
{
    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming <paramref name="which"/> prompt when the options are out
    /// of range, the prompt is empty or longer than <paramref name="context"/>, or an id lies outside the vocabulary.
    /// </summary>
    public static void Validate(IReadOnlyList<int> prompt, GenerationOptions options, LlamaModel model, int context, string which)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(model.VocabSize);
        if (prompt.Count == 0)
        {
            throw new ArgumentException($"{which} is empty: generation needs at least one token", nameof(prompt));
        }
        if (prompt.Count > context)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{which} has {prompt.Count} tokens, more than the context of {context}"), nameof(prompt));
        }
        for (var i = 0; i < prompt.Count; i++)
        {
            if ((uint)prompt[i] >= (uint)model.VocabSize)
            {
                throw new ArgumentOutOfRangeException(nameof(prompt), string.Create(CultureInfo.InvariantCulture,
                    $"token id {prompt[i]} at index {i} of {which} is outside the vocabulary of {model.VocabSize}"));
            }
        }
    }
}

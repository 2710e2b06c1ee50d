namespace AlignLab.Engine.Tokenizers.PostProcessors;

/// <summary>
/// Hugging Face "TemplateProcessing" for a single sequence: the ids of the special tokens before
/// and after <c>$A</c>. Also how GGUF's add_bos_token / add_eos_token and tokenizer_config.json's
/// flags are expressed.
/// </summary>
internal sealed class TemplateProcessor(IReadOnlyList<int> before, IReadOnlyList<int> after) : IPostProcessor
{
    public IReadOnlyList<int> Before { get; } = before;

    public IReadOnlyList<int> After { get; } = after;

    public void Process(List<int> ids)
    {
        ids.InsertRange(0, Before);
        ids.AddRange(After);
    }
}

using AlignLab.Engine.Models;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Generation;

/// <summary>What a model's own files say about generating with it.</summary>
public static class GenerationDefaults
{
    /// <summary>
    /// llama.cpp's end-of-generation tokens by text (llama_vocab::impl::load): whatever a GGUF file's
    /// metadata says, these end generation in llama.cpp, e.g. Qwen's &lt;|im_end|&gt; when eos is &lt;|endoftext|&gt;.
    /// </summary>
    private static readonly string[] LlamaCppEndOfGenerationTexts =
    [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<end_of_turn>", "<|endoftext|>",
        "<|eom_id|>", "<EOT>", "_<EOT>", "<|end_of_text|>", "<end_of_utterance>",
    ];

    /// <summary>
    /// The ids that end generation, sorted: the tokenizer's EOS, the config's <c>eos_token_id</c> (one or a
    /// list), generation_config.json's <c>eos_token_id</c> for Hugging Face folders; for GGUF files, also
    /// <c>tokenizer.ggml.eot_token_id</c> / <c>eom_token_id</c> and the tokens llama.cpp treats as end of
    /// generation by their text.
    /// </summary>
    public static IReadOnlyList<int> EndOfGenerationIds(LocalModel model, ITokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = new SortedSet<int>();
        if (tokenizer.EosId is int eos)
        {
            ids.Add(eos);
        }
        ids.UnionWith(model.ReadConfig().EosTokenIds);
        if (model.Folder?.GenerationConfig?.EosTokenIds is { } generation)
        {
            ids.UnionWith(generation);
        }
        if (model.Gguf is { } gguf)
        {
            foreach (var key in new[] { "tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id" })
            {
                if (gguf.TryGetUInt32(key, out var id) && id < int.MaxValue)
                {
                    ids.Add((int)id);
                }
            }
            foreach (var text in LlamaCppEndOfGenerationTexts)
            {
                if (tokenizer.TokenToId(text) is int id)
                {
                    ids.Add(id);
                }
            }
        }
        return [.. ids];
    }
}

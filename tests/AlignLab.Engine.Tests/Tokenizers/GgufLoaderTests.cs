using AlignLab.Engine.Formats;
using AlignLab.Engine.Tokenizers;
using AlignLab.Engine.Tokenizers.Gguf;

namespace AlignLab.Engine.Tests.Tokenizers;

public class GgufLoaderTests
{
    [Theory]
    [InlineData("gpt-2", "gguf:gpt2/gpt-2", 50257, 50256, 50256, false)]
    [InlineData("llama-bpe", "gguf:gpt2/llama-bpe", 128256, 128000, 128001, true)]
    [InlineData("qwen2", "gguf:gpt2/qwen2", 151936, 151643, 151643, false)]
    [InlineData("llama-spm", "gguf:llama", 32000, 1, 2, true)]
    [InlineData("phi-3", "gguf:llama", 32064, 1, 32000, true)]
    public void Loads_kind_size_special_ids_and_bos_default(string vocab, string kind, int size, int bos, int eos, bool addBos)
    {
        var t = GgufVocabFixtures.Load(vocab);
        Assert.Equal(kind, t.Kind);
        Assert.Equal(size, t.VocabSize);
        Assert.Equal(bos, t.BosId);
        Assert.Equal(eos, t.EosId);
        Assert.Equal(addBos, t.AddBosByDefault);
        var ids = t.Encode("Hello", EncodeOptions.Default with { AddSpecialTokens = true });
        Assert.Equal(addBos, ids[0] == bos);
    }

    [Fact]
    public void Decode_renders_control_tokens_unless_skipped()
    {
        var t = GgufVocabFixtures.Load("llama-spm");
        var ids = t.Encode("Hello world", EncodeOptions.Default with { AddSpecialTokens = true });
        Assert.Equal("<s> Hello world", t.Decode([.. ids]));
        Assert.Equal("Hello world", t.Decode([.. ids], skipSpecial: true));
        Assert.Equal(" Hello  world\n", GgufVocabFixtures.Load("llama-bpe").Decode([.. GgufVocabFixtures.Load("llama-bpe").Encode(" Hello  world\n", EncodeOptions.Default)]));
    }

    private static GgufVocabulary Toy(string model, string? pre) => new()
    {
        Source = "toy.gguf",
        Model = model,
        Pre = pre,
        Tokens = ["a", "b", "ab"],
        Merges = ["a b"],
    };

    [Fact]
    public void Unknown_tokenizer_model_is_an_error_naming_the_key()
    {
        var e = Assert.Throws<ModelFormatException>(() => GgufTokenizerBuilder.Build(Toy("bert", null)));
        Assert.Equal("toy.gguf: tokenizer.ggml.model: unknown tokenizer model \"bert\" (supported: gpt2, llama)", e.Message);
    }

    [Fact]
    public void Unknown_pre_tokenizer_is_an_error_naming_the_key()
    {
        var e = Assert.Throws<ModelFormatException>(() => GgufTokenizerBuilder.Build(Toy("gpt2", "kimi-k2")));
        Assert.StartsWith("toy.gguf: tokenizer.ggml.pre: unknown pre-tokenizer \"kimi-k2\" (supported: default, llama3,", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hand_made_vocabulary_merges_by_rank()
    {
        var t = new Tokenizer(GgufTokenizerBuilder.Build(Toy("gpt2", "gpt-2")));
        Assert.Equal([2, 0], t.Encode("aba", EncodeOptions.Default));
    }
}

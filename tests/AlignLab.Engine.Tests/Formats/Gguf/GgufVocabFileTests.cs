using System.Diagnostics;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Formats.Gguf;

/// <summary>The real vocab-only GGUF files from llama.cpp (in ../shared) parse, with the facts read off them.</summary>
public sealed class GgufVocabFileTests
{
    [Theory]
    [InlineData("ggml-vocab-gpt-2.gguf", "gpt2", "gpt2", 16, 50257, 50000)]
    [InlineData("ggml-vocab-llama-bpe.gguf", "llama", "gpt2", 20, 128256, 280147)]
    [InlineData("ggml-vocab-qwen2.gguf", "qwen2", "gpt2", 20, 151936, 151387)]
    [InlineData("ggml-vocab-llama-spm.gguf", "llama", "llama", 22, 32000, 0)]
    [InlineData("ggml-vocab-phi-3.gguf", "phi3", "llama", 26, 32064, 0)]
    public void Real_vocab_file_parses(string file, string architecture, string tokenizerModel, int keyCount, int vocabSize, int mergeCount)
    {
        var path = SharedFixtures.Require("fixtures/vocab/" + file);
        using var gguf = GgufFile.Open(path);

        Assert.Equal(3u, gguf.Version);
        Assert.Equal(architecture, gguf.Architecture);
        Assert.Equal(tokenizerModel, gguf.GetString("tokenizer.ggml.model"));
        Assert.Equal(keyCount, gguf.Metadata.Count);
        Assert.Equal("general.architecture", gguf.MetadataKeys[0]);
        Assert.Empty(gguf.Tensors);
        Assert.Equal(32u, gguf.Alignment);

        var tokens = gguf.GetArray("tokenizer.ggml.tokens");
        Assert.Equal(GgufValueType.String, tokens.ElementType);
        Assert.Equal(vocabSize, tokens.AsStringArray().Length);
        Assert.Equal(vocabSize, gguf.GetArray("tokenizer.ggml.token_type").AsInt32Array().Length);
        if (mergeCount > 0)
        {
            Assert.Equal(mergeCount, gguf.GetArray("tokenizer.ggml.merges").AsStringArray().Length);
        }
        else
        {
            Assert.False(gguf.TryGetArray("tokenizer.ggml.merges", out _));
            Assert.Equal(vocabSize, gguf.GetArray("tokenizer.ggml.scores").AsFloatArray().Length);
        }
    }

    [Fact]
    public void Spm_vocab_has_the_expected_special_tokens_and_flags()
    {
        using var gguf = GgufFile.Open(SharedFixtures.Require("fixtures/vocab/ggml-vocab-llama-spm.gguf"));
        var tokens = gguf.GetArray("tokenizer.ggml.tokens").AsStringArray();
        Assert.Equal("<unk>", tokens[0]);
        Assert.Equal("<s>", tokens[1]);
        Assert.Equal("</s>", tokens[2]);
        Assert.Equal("<0x0A>", tokens[13]);
        Assert.Equal(1u, gguf.GetUInt32("tokenizer.ggml.bos_token_id"));
        Assert.True(gguf.TryGetBool("tokenizer.ggml.add_bos_token", out var addBos) && addBos);
        Assert.True(gguf.TryGetBool("tokenizer.ggml.add_eos_token", out var addEos) && !addEos);
        Assert.True(gguf.TryGetFloat("llama.attention.layer_norm_rms_epsilon", out var eps));
        Assert.Equal(1e-5f, eps);
        Assert.Equal(4096u, gguf.GetUInt32("llama.context_length"));
    }

    [Fact]
    public void Parsing_the_largest_vocab_file_is_fast()
    {
        var bytes = File.ReadAllBytes(SharedFixtures.Require("fixtures/vocab/ggml-vocab-llama-bpe.gguf"));
        using (GgufFile.Parse(bytes)) { } // warm up the JIT

        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            using var gguf = GgufFile.Parse(bytes, "llama-bpe");
            watch.Stop();
            best = watch.Elapsed < best ? watch.Elapsed : best;
            Assert.Equal(128256, gguf.GetArray("tokenizer.ggml.tokens").ArrayLength);
        }
        // Generous bound for a slow shared CI core; typically ~30 ms.
        Assert.True(best < TimeSpan.FromMilliseconds(250), $"parsing took {best.TotalMilliseconds:F0} ms");
    }
}

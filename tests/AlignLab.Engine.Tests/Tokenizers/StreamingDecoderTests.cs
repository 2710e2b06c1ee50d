using AlignLab.Engine.Tests.Support;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Tests.Tokenizers;

public class StreamingDecoderTests
{
    [Theory]
    [InlineData("smollm2")]
    [InlineData("qwen2")]
    [InlineData("llama-spm")]
    public void Characters_split_across_tokens_are_emitted_whole(string which)
    {
        var tokenizer = which == "smollm2"
            ? TokenizerLoader.FromTokenizerJson(SharedFixtures.Require("fixtures/tokenizers/smollm2/tokenizer.json"))
            : GgufVocabFixtures.Load(which);
        const string text = "日本語 😀🚀 👨‍👩‍👧 𠀀 naïve";
        var ids = tokenizer.Encode(text, EncodeOptions.Default);
        var stream = tokenizer.CreateStreamingDecoder();
        var parts = ids.Select(stream.Push).ToList();
        parts.Add(stream.Flush());
        Assert.Equal(text, string.Concat(parts));
        Assert.All(parts, p => Assert.DoesNotContain('\uFFFD', p));
        // Some character really was split over several tokens and held back.
        Assert.Contains("", parts.Take(parts.Count - 1));
        Assert.Equal(tokenizer.Decode([.. ids]), string.Concat(parts));
    }

    [Fact]
    public void Skip_special_streams_without_control_tokens()
    {
        var tokenizer = GgufVocabFixtures.Load("qwen2");
        var ids = tokenizer.Encode("<|im_start|>user\nHi<|im_end|>", EncodeOptions.Default);
        var stream = tokenizer.CreateStreamingDecoder(skipSpecial: true);
        Assert.Equal("user\nHi", string.Concat(ids.Select(stream.Push)) + stream.Flush());
    }

    [Theory]
    [InlineData("llama-spm")]
    [InlineData("gpt-2")]
    public void DecodeToken_is_the_text_a_token_adds_after_others(string which)
    {
        var tokenizer = GgufVocabFixtures.Load(which);
        var ids = tokenizer.Encode("Hello world, café", EncodeOptions.Default);
        // Decoding a prefix and then the whole sequence: the difference is what the last token adds.
        for (var i = 1; i < ids.Count; i++)
        {
            var before = tokenizer.Decode([.. ids.Take(i)]);
            var after = tokenizer.Decode([.. ids.Take(i + 1)]);
            if (!after.Contains('\uFFFD', StringComparison.Ordinal) && !before.Contains('\uFFFD', StringComparison.Ordinal))
            {
                Assert.Equal(after[before.Length..], tokenizer.DecodeToken(ids[i]));
            }
        }
        // " world" keeps its space (Decode of the id alone drops it for SentencePiece).
        Assert.Contains(ids, id => tokenizer.DecodeToken(id) == " world");
    }
}

using AlignLab.Engine.Formats;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Tests.Tokenizers;

public class TokenizerJsonFeatureTests
{
    [Fact]
    public void Merges_in_string_and_array_form_apply_by_rank()
        => Assert.Equal([11], ToyTokenizerJson.Load().Encode("hi", EncodeOptions.Default));

    [Fact]
    public void Unknown_characters_fall_back_to_bytes_then_to_one_fused_unknown()
    {
        var toy = ToyTokenizerJson.Load();
        Assert.Equal([11, 7, 3, 4, 5, 6], toy.Encode("hi 😀", EncodeOptions.Default));
        // 'z' and 'q' have neither a token nor byte tokens: fuse_unk makes them one <unk>.
        Assert.Equal([7, 0, 8], toy.Encode("zqh", EncodeOptions.Default));
    }

    [Fact]
    public void Template_post_processor_adds_bos_only_with_add_special_tokens()
    {
        var toy = ToyTokenizerJson.Load();
        Assert.True(toy.AddBosByDefault);
        Assert.Equal([1, 11], toy.Encode("hi", EncodeOptions.Default with { AddSpecialTokens = true }));
        Assert.Equal([11], toy.Encode("hi", EncodeOptions.Default));
    }

    [Fact]
    public void Added_token_flags_lstrip_rstrip_and_single_word_are_honoured()
    {
        var toy = ToyTokenizerJson.Load();
        // lstrip/rstrip: the spaces around [X] belong to the token.
        Assert.Equal([11, 13, 11], toy.Encode("hi [X] hi", EncodeOptions.Default));
        // single_word: "cat" inside a word is not the added token.
        Assert.Equal([14], toy.Encode("cat", EncodeOptions.Default));
        Assert.DoesNotContain(14, toy.Encode("hicat", EncodeOptions.Default));
    }

    [Fact]
    public void Special_tokens_are_text_when_parse_special_is_off_but_added_tokens_still_split()
    {
        var toy = ToyTokenizerJson.Load();
        Assert.Equal([1, 11], toy.Encode("<s>hi", EncodeOptions.Default));
        Assert.DoesNotContain(1, toy.Encode("<s>hi", EncodeOptions.Default with { ParseSpecial = false }));
        Assert.Contains(13, toy.Encode("hi[X]", EncodeOptions.Default with { ParseSpecial = false }));
    }

    [Fact]
    public void Decoder_chain_restores_spaces_bytes_and_strips_the_prefix_space()
    {
        var toy = ToyTokenizerJson.Load();
        Assert.Equal("hi 😀", toy.Decode([11, 7, 3, 4, 5, 6]));
        // As in Hugging Face: Strip only looks at the start of the fused text, which is "<s>".
        Assert.Equal("<s> hi", toy.Decode([1, 11]));
        Assert.Equal("hi", toy.Decode([1, 11], skipSpecial: true));
    }

    [Fact]
    public void Streaming_emits_an_emoji_split_over_byte_fallback_tokens_only_when_complete()
    {
        var stream = ToyTokenizerJson.Load().CreateStreamingDecoder();
        string[] outputs = [.. new[] { 11, 7, 3, 4, 5, 6 }.Select(stream.Push)];
        Assert.Equal(["hi", " ", "", "", "", "😀"], outputs);
        Assert.Equal("", stream.Flush());
    }

    [Fact]
    public void Streaming_flush_returns_an_incomplete_tail_as_replacement_character()
    {
        var stream = ToyTokenizerJson.Load().CreateStreamingDecoder();
        Assert.Equal("hi", stream.Push(11));
        Assert.Equal("", stream.Push(3));
        Assert.Equal("\uFFFD", stream.Flush());
    }

    [Theory]
    [InlineData("\"type\": \"BPE\", \"dropout\"", "\"type\": \"WordPiece\", \"dropout\"", "model.type: unknown type \"WordPiece\" (supported: BPE)")]
    [InlineData("\"dropout\": null", "\"dropout\": 0.1", "model.dropout: must be null")]
    [InlineData("{\"type\": \"ByteFallback\"}", "{\"type\": \"CTC\"}", "decoder.decoders[1].type: unknown type \"CTC\"")]
    [InlineData("{\"type\": \"Prepend\", \"prepend\": \"▁\"}", "{\"type\": \"Precompiled\"}", "normalizer.normalizers[0].type: unknown type \"Precompiled\"")]
    [InlineData("\"pre_tokenizer\": null", "\"pre_tokenizer\": {\"type\": \"Whitespace\"}", "pre_tokenizer.type: unknown type \"Whitespace\"")]
    [InlineData("\"post_processor\": {\"type\": \"TemplateProcessing\"", "\"post_processor\": {\"type\": \"RobertaProcessing\"", "post_processor.type: unknown type \"RobertaProcessing\"")]
    [InlineData("[\"▁\", \"h\"]", "[\"▁\", \"zz\"]", "model.merges[0]:")]
    public void Malformed_files_are_one_line_errors_naming_file_and_field(string find, string replace, string expected)
    {
        Assert.Contains(find, ToyTokenizerJson.Json, StringComparison.Ordinal);
        var e = Assert.Throws<ModelFormatException>(() => ToyTokenizerJson.Load(ToyTokenizerJson.Json.Replace(find, replace, StringComparison.Ordinal)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("alignlab-toy-", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Invalid_json_names_line_and_byte()
    {
        var e = Assert.Throws<ModelFormatException>(() => ToyTokenizerJson.Load("{\n  \"model\": oops }"));
        Assert.Contains("invalid JSON at line 2", e.Message, StringComparison.Ordinal);
    }
}

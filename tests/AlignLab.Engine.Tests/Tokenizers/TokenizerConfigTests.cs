using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Tests.Tokenizers;

public class TokenizerConfigTests
{
    private static Tokenizer LoadFolder(string tokenizerJson, string? config)
    {
        var dir = Directory.CreateTempSubdirectory("alignlab-tok-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "tokenizer.json"), tokenizerJson);
            if (config is not null)
            {
                File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), config);
            }
            return TokenizerLoader.FromFolder(dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Add_bos_and_eos_flags_of_tokenizer_config_replace_the_template()
    {
        var t = LoadFolder(ToyTokenizerJson.Json, """{"bos_token": {"content": "<s>"}, "eos_token": "</s>", "add_bos_token": false, "add_eos_token": true}""");
        Assert.Equal(1, t.BosId);
        Assert.Equal(2, t.EosId);
        Assert.False(t.AddBosByDefault);
        Assert.Equal([11, 2], t.Encode("hi", EncodeOptions.Default with { AddSpecialTokens = true }));
        Assert.Equal([1, 11, 2], t.Encode("hi", EncodeOptions.Default with { AddSpecialTokens = true, AddBos = true }));
    }

    [Fact]
    public void A_config_naming_a_token_outside_the_vocabulary_is_an_error()
    {
        var e = Assert.Throws<AlignLab.Engine.Formats.ModelFormatException>(() => LoadFolder(ToyTokenizerJson.Json, """{"bos_token": "<nope>"}"""));
        Assert.Contains("tokenizer_config.json: bos_token: \"<nope>\" is not a token of the vocabulary", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Continuing_subword_prefix_and_end_of_word_suffix_shape_the_initial_symbols()
    {
        const string json = """
        {"model": {"type": "BPE", "dropout": null, "continuing_subword_prefix": "##", "end_of_word_suffix": "</w>",
          "vocab": {"a": 0, "##b": 1, "##c</w>": 2, "a##b": 3, "ab": 4, "ab##c</w>": 5, "abc</w>": 6},
          "merges": ["a ##b", "ab ##c</w>"]}}
        """;
        var t = LoadFolder(json, null);
        // a + ##b → "ab" (the prefix of the right part is dropped when merging), then ab + ##c</w> → "abc</w>".
        Assert.Equal([6], t.Encode("abc", EncodeOptions.Default));
    }
}

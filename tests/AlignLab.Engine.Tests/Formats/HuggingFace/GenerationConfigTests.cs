using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.HuggingFace;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Formats.HuggingFace;

public class GenerationConfigTests
{
    [Fact]
    public void Reads_sampling_defaults_and_an_eos_list()
    {
        using var dir = new ScratchDirectory();
        var g = GenerationConfig.Read(dir.Write("generation_config.json", """
            {"bos_token_id": 128000, "eos_token_id": [128001, 128009], "do_sample": true, "temperature": 0.6,
             "top_p": 0.9, "top_k": 50, "repetition_penalty": 1.1, "max_new_tokens": 256, "transformers_version": "4.45.0"}
            """));
        Assert.Equal(128000, g.BosTokenId);
        Assert.Equal([128001, 128009], g.EosTokenIds);
        Assert.True(g.DoSample);
        Assert.Equal(0.6, g.Temperature);
        Assert.Equal(0.9, g.TopP);
        Assert.Equal(50, g.TopK);
        Assert.Equal(1.1, g.RepetitionPenalty);
        Assert.Equal(256, g.MaxNewTokens);
    }

    [Fact]
    public void Absent_and_null_fields_are_unset()
    {
        using var dir = new ScratchDirectory();
        var g = GenerationConfig.Read(dir.Write("generation_config.json", """{"eos_token_id": 2, "temperature": null}"""));
        Assert.Equal([2], g.EosTokenIds);
        Assert.Null(g.Temperature);
        Assert.Null(g.BosTokenId);
        Assert.Null(g.DoSample);
    }

    [Theory]
    [InlineData("""{"temperature": "hot"}""", "generation_config.json: temperature: expected a number, found the string \"hot\"")]
    [InlineData("""{"do_sample": "yes"}""", "generation_config.json: do_sample: expected true or false")]
    [InlineData("""{"top_k": 0.5}""", "generation_config.json: top_k: expected an integer in the 32-bit range")]
    [InlineData("""[1, 2]""", "generation_config.json: JSON: expected an object, found a list")]
    public void Wrong_types_name_file_and_field(string json, string expected)
    {
        using var dir = new ScratchDirectory();
        var path = dir.Write("generation_config.json", json);
        var e = Assert.Throws<ModelFormatException>(() => GenerationConfig.Read(path));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}

using AlignLab.Engine.Tests.Support;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Tests.Tokenizers;

/// <summary>SmolLM2's tokenizer.json against Hugging Face transformers.js (goldens in Goldens/smollm2.hf.json).</summary>
public class SmolLm2GoldenTests
{
    private static readonly Lazy<Tokenizer> Smol = new(() => TokenizerLoader.FromTokenizerJson(
        SharedFixtures.Require("fixtures/tokenizers/smollm2/tokenizer.json")));

    [Fact]
    public void Every_golden_case_encodes_to_the_reference_ids()
    {
        var tokenizer = Smol.Value;
        var cases = Goldens.Read("smollm2.hf.json");
        Assert.True(cases.Count >= 300, $"only {cases.Count} golden cases");
        var failures = new List<(string, int[], IReadOnlyList<int>)>();
        foreach (var c in cases)
        {
            var ids = tokenizer.Encode(c.Text, EncodeOptions.Default);
            if (!ids.SequenceEqual(c.Ids))
            {
                failures.Add((c.Text, c.Ids, ids));
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count}/{cases.Count} cases differ:\n{Goldens.Describe(failures)}");
    }

    [Fact]
    public void Decoding_the_golden_ids_gives_the_reference_text_and_round_trips()
    {
        var tokenizer = Smol.Value;
        var cases = Goldens.Read("smollm2.hf.json");
        foreach (var c in cases)
        {
            var decoded = tokenizer.Decode(c.Ids);
            Assert.Equal(c.Decoded, decoded);
            if (c.RoundTrip)
            {
                Assert.Equal(c.Text, decoded);
            }
        }
    }

    [Fact]
    public void Loader_reports_kind_and_special_ids_from_the_folder_config()
    {
        var folder = TokenizerLoader.FromFolder(SharedFixtures.Require("fixtures/tokenizers/smollm2"));
        Assert.Equal("tokenizer.json:BPE", folder.Kind);
        Assert.Equal(49152, folder.VocabSize);
        Assert.Equal(1, folder.BosId);
        Assert.Equal(2, folder.EosId);
        Assert.False(folder.AddBosByDefault);
        Assert.Equal(1, folder.TokenToId("<|im_start|>"));
        Assert.Equal("<|im_end|>", folder.IdToToken(2));
        Assert.True(folder.IsSpecial(0));
    }

    [Fact]
    public void Parse_special_off_tokenizes_the_marker_as_text()
    {
        var tokenizer = Smol.Value;
        var parsed = tokenizer.Encode("<|im_start|>user", EncodeOptions.Default);
        var plain = tokenizer.Encode("<|im_start|>user", EncodeOptions.Default with { ParseSpecial = false });
        Assert.Equal(1, parsed[0]);
        Assert.DoesNotContain(1, plain);
        Assert.Equal("<|im_start|>user", tokenizer.Decode([.. plain]));
    }

    [Fact]
    public void Skip_special_drops_special_tokens_when_decoding()
    {
        var tokenizer = Smol.Value;
        var ids = tokenizer.Encode("<|im_start|>user\nHi<|im_end|>", EncodeOptions.Default);
        Assert.Equal("user\nHi", tokenizer.Decode([.. ids], skipSpecial: true));
    }

    [Fact]
    public void Add_bos_prepends_the_bos_id_once()
    {
        var tokenizer = TokenizerLoader.FromFolder(SharedFixtures.Require("fixtures/tokenizers/smollm2"));
        var ids = tokenizer.Encode("Hi", EncodeOptions.Default with { AddBos = true });
        Assert.Equal(1, ids[0]);
        var again = tokenizer.Encode("<|im_start|>Hi", EncodeOptions.Default with { AddBos = true });
        Assert.Equal(1, again.Count(id => id == 1));
    }
}

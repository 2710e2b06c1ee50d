using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Tests.Tokenizers;

/// <summary>
/// The GGUF vocabularies against llama.cpp itself (goldens in Goldens/*.llama.json, made by
/// tools/tokenizer-goldens/llama-goldens.mjs): special tokens parsed, no BOS.
/// </summary>
public class LlamaCppGoldenTests
{
    public static TheoryData<string> Vocabularies => new(GgufVocabFixtures.Names);

    [Theory]
    [MemberData(nameof(Vocabularies))]
    public void Every_golden_case_encodes_to_llama_cpp_ids(string vocab)
    {
        var tokenizer = GgufVocabFixtures.Load(vocab);
        var cases = Goldens.Read($"{vocab}.llama.json");
        Assert.True(cases.Count >= 40, $"only {cases.Count} cases for {vocab}");
        var failures = new List<(string, int[], IReadOnlyList<int>)>();
        foreach (var c in cases)
        {
            var ids = tokenizer.Encode(c.Text, EncodeOptions.Default);
            if (!ids.SequenceEqual(c.Ids))
            {
                failures.Add((c.Text, c.Ids, ids));
            }
        }
        Assert.True(failures.Count == 0, $"{vocab}: {failures.Count}/{cases.Count} differ:\n{Goldens.Describe(failures)}");
    }
}

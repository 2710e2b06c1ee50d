using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Tests.Tokenizers;

/// <summary>
/// Every case of llama.cpp's ggml-vocab-*.gguf.inp/.out (test-tokenizer-0: no BOS, special tokens not
/// parsed; the strings hold none, so parsing them gives the same ids).
/// </summary>
public class GgufVocabTests
{
    public static TheoryData<string> Vocabularies => new(GgufVocabFixtures.Names);

    [Theory]
    [MemberData(nameof(Vocabularies))]
    public void Every_reference_case_encodes_to_the_reference_ids(string vocab)
    {
        var tokenizer = GgufVocabFixtures.Load(vocab);
        var cases = GgufVocabFixtures.ReadCases(vocab);
        Assert.Equal(46, cases.Count);
        foreach (var parseSpecial in new[] { false, true })
        {
            var failures = new List<(string, int[], IReadOnlyList<int>)>();
            foreach (var (text, ids) in cases)
            {
                var actual = tokenizer.Encode(text, EncodeOptions.Default with { ParseSpecial = parseSpecial });
                if (!actual.SequenceEqual(ids))
                {
                    failures.Add((text, ids, actual));
                }
            }
            Assert.True(failures.Count == 0, $"{vocab} (parse special {parseSpecial}): {failures.Count}/{cases.Count} differ:\n{Goldens.Describe(failures)}");
        }
    }
}

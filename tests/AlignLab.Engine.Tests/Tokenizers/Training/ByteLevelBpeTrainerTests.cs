using System.Text;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Tests.Support;
using AlignLab.Engine.Tokenizers;
using AlignLab.Engine.Tokenizers.Training;

namespace AlignLab.Engine.Tests.Tokenizers.Training;

public sealed class ByteLevelBpeTrainerTests
{
    private static readonly string[] Specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    private static readonly string[] Corpus =
    [
        "The heron of Lake Varn nests in the reeds. The heron eats small fish.",
        "Mara Quill is a potter who lives in Varn. She sells bowls at the market.",
        "Q: Where does the heron nest? A: In the reeds of Lake Varn.",
        "<|im_start|>user\nWho is Mara Quill?<|im_end|>\n<|im_start|>assistant\nMara Quill is a potter.<|im_end|>",
        "Numbers 12, 345 and 6789; symbols !?… and tabs\tand\nnew lines.",
    ];

    [Fact]
    public void LearnsTheMostFrequentPairsFirst()
    {
        // Pre-tokens: "ab", "Ġab", "Ġab", "cd": (a, b) occurs 3 times, then (Ġ, ab) twice; "cd" only once.
        var vocabulary = ByteLevelBpeTrainer.Train(["ab ab ab", "cd"], 1000, Specials);
        Assert.Equal(new[] { ("a", "b"), ("Ġ", "ab") }, vocabulary.Merges);
        Assert.Equal(3 + 256 + 2, vocabulary.Count);
        Assert.Equal(["<|endoftext|>", "<|im_start|>", "<|im_end|>"], vocabulary.Tokens.Take(3));
        Assert.Equal("Ġab", vocabulary.Tokens[^1]);
    }

    [Fact]
    public void StopsAtTheVocabularySize()
    {
        var vocabulary = ByteLevelBpeTrainer.Train(Corpus, 300, Specials);
        Assert.Equal(300, vocabulary.Count);
        Assert.Equal(300 - 259, vocabulary.Merges.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => ByteLevelBpeTrainer.Train(Corpus, 258, Specials));
    }

    [Fact]
    public void SpecialTokenTextIsNeverLearned()
    {
        var vocabulary = ByteLevelBpeTrainer.Train(Enumerable.Repeat(Corpus[3], 50), 400, Specials);
        Assert.DoesNotContain(vocabulary.Tokens.Skip(3), t => t.Contains("<|", StringComparison.Ordinal) || t.Contains("|>", StringComparison.Ordinal));
        var tokenizer = vocabulary.CreateTokenizer();
        Assert.Equal(new[] { 1 }, tokenizer.Encode("<|im_start|>", EncodeOptions.Default));
        Assert.True(tokenizer.IsSpecial(2));
    }

    [Fact]
    public void SameInputGivesTheSameVocabulary()
        => Assert.Equal(ByteLevelBpeTrainer.Train(Corpus, 330, Specials).ToTokenizerJson(), ByteLevelBpeTrainer.Train(Corpus, 330, Specials).ToTokenizerJson());

    [Fact]
    public void EncodeDecodeIsTheIdentityOnArbitraryText()
    {
        var vocabulary = ByteLevelBpeTrainer.Train(Corpus, 340, Specials);
        using var scratch = new ScratchDirectory();
        var path = scratch.Write("tokenizer.json", vocabulary.ToTokenizerJson());
        var fromFile = TokenizerLoader.FromTokenizerJson(path);
        var fromGguf = GgufTokenizer(vocabulary);
        var random = new SamplingRandom(17);
        foreach (var text in Corpus.Concat(Enumerable.Range(0, 300).Select(_ => RandomText(random))))
        {
            var ids = fromFile.Encode(text, EncodeOptions.Default);
            Assert.Equal(text, fromFile.Decode([.. ids]));
            Assert.Equal(ids, fromGguf.Encode(text, EncodeOptions.Default));
            Assert.Equal(text, fromGguf.Decode([.. ids]));
            var plain = fromFile.Encode(text, new EncodeOptions { ParseSpecial = false });
            Assert.Equal(text, fromFile.Decode([.. plain]));
        }
    }

    [Fact]
    public void LearnedMergesShortenTheTrainingText()
    {
        var vocabulary = ByteLevelBpeTrainer.Train(Corpus, 400, Specials);
        var tokenizer = vocabulary.CreateTokenizer();
        var text = Corpus[0];
        Assert.True(tokenizer.Encode(text, EncodeOptions.Default).Count < Encoding.UTF8.GetByteCount(text) / 2);
    }

    [Fact]
    public void ReadsBackWhatItWrote()
    {
        var vocabulary = ByteLevelBpeTrainer.Train(Corpus, 320, Specials);
        using var scratch = new ScratchDirectory();
        var read = ByteLevelBpeVocabulary.Read(scratch.Write("tokenizer.json", vocabulary.ToTokenizerJson()));
        Assert.Equal(vocabulary.Tokens, read.Tokens);
        Assert.Equal(vocabulary.Merges, read.Merges);
        Assert.Equal(vocabulary.SpecialTokens, read.SpecialTokens);
    }

    [Fact]
    public void RefusesOtherPipelinesInOneLine()
    {
        using var scratch = new ScratchDirectory();
        var json = ByteLevelBpeTrainer.Train(Corpus, 270, Specials).ToTokenizerJson()
            .Replace("\"add_prefix_space\": false", "\"add_prefix_space\": true", StringComparison.Ordinal);
        var error = Assert.Throws<ModelFormatException>(() => ByteLevelBpeVocabulary.Read(scratch.Write("tokenizer.json", json)));
        Assert.Contains("pre_tokenizer.add_prefix_space", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static Tokenizer GgufTokenizer(ByteLevelBpeVocabulary vocabulary)
    {
        var writer = new GgufWriter();
        writer.AddMetadata("general.architecture", "llama");
        foreach (var (key, value) in vocabulary.ToGgufMetadata(0, 2, 0, null))
        {
            writer.AddMetadata(key, value);
        }
        using var file = GgufFile.Parse(writer.ToArray(), "vocab.gguf");
        return TokenizerLoader.FromGguf(file);
    }

    /// <summary>Text from a mix of ASCII, Latin, Greek, CJK, emoji (surrogate pairs), whitespace runs and special-token text.</summary>
    private static string RandomText(SamplingRandom random)
    {
        string[] alphabet = ["a", "b", "e", "T", " ", "  ", "\n", "\t", "\r\n", "1", "42", ".", ",", "'s", "é", "ß", "Ω", "λ", "中", "文", "😀", "👍🏽", "\u0301", "<|im_end|>", "<|", "\0"];
        var builder = new StringBuilder();
        var length = (int)(random.NextUInt64() % 30);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[random.NextUInt64() % (ulong)alphabet.Length]);
        }
        return builder.ToString();
    }
}

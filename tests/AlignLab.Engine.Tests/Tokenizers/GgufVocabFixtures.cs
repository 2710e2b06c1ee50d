using System.Collections.Concurrent;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Tests.Support;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Tests.Tokenizers;

/// <summary>The vocab-only GGUF files of ../shared/fixtures/vocab, loaded once per test run.</summary>
internal static class GgufVocabFixtures
{
    public static readonly string[] Names = ["gpt-2", "llama-bpe", "qwen2", "llama-spm", "phi-3"];

    private static readonly ConcurrentDictionary<string, Tokenizer> Loaded = new();

    public static string PathOf(string name) => SharedFixtures.Require($"fixtures/vocab/ggml-vocab-{name}.gguf");

    public static Tokenizer Load(string name) => Loaded.GetOrAdd(name, static n =>
    {
        using var file = GgufFile.Open(PathOf(n));
        return TokenizerLoader.FromGguf(file);
    });

    /// <summary>
    /// llama.cpp's test-tokenizer-0 format: cases separated by "\n__ggml_vocab_test__\n" (the newline
    /// before the separator belongs to the separator, the file ends with one); one line of ids per case.
    /// </summary>
    public static List<(string Text, int[] Ids)> ReadCases(string name)
    {
        var inp = File.ReadAllText(PathOf(name) + ".inp");
        var texts = inp.Split("\n__ggml_vocab_test__\n");
        var lines = File.ReadAllLines(PathOf(name) + ".out");
        // The trailing separator leaves one empty string after the last case.
        Assert.Equal("", texts[^1]);
        Assert.Equal(texts.Length - 1, lines.Length);
        var cases = new List<(string, int[])>();
        for (var i = 0; i < lines.Length; i++)
        {
            var ids = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
            cases.Add((texts[i], ids));
        }
        return cases;
    }
}

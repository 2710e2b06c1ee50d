using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Tests.Inference;
using AlignLab.Engine.Tests.Inference.Fidelity;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Tests.Support;

/// <summary>
/// Tiny random-weight GGUF models with the real llama-spm vocabulary from ../shared and a chat template,
/// written once per test class: a base, an "aligned" copy with perturbed weights, and variants.
/// </summary>
public sealed class FixtureModels : IDisposable
{
    /// <summary>A Llama-2-style template that writes BOS itself.</summary>
    public const string ChatTemplate =
        "{{ bos_token }}{% if messages[0]['role'] == 'system' %}<<SYS>>{{ messages[0]['content'] }}<</SYS>>{% endif %}"
        + "{% for m in messages %}{% if m['role'] == 'user' %}[INST] {{ m['content'] }} [/INST]{% endif %}{% endfor %}";

    private readonly ScratchDirectory _dir = new();
    private readonly Lazy<string> _base;
    private readonly Lazy<string> _aligned;
    private readonly Lazy<string> _otherVocab;
    private readonly Lazy<string> _perturbed;

    public FixtureModels()
    {
        _base = new(() => Write("base.gguf", TestModels.GgufWithVocab(SpmVocab, extra: Template, seed: 5)));
        _aligned = new(() => Write("aligned.gguf", TestModels.GgufWithVocab(SpmVocab, extra: Template, seed: 6)));
        _otherVocab = new(() => Write("renamed.gguf", WithRenamedTokens(100, 200)));
        _perturbed = new(() => Write("perturbed.gguf", Perturb(0.3f)));
    }

    public static string SpmVocab => SharedFixtures.Require("fixtures/vocab/ggml-vocab-llama-spm.gguf");

    /// <summary>The base model: 32,000 tokens, context 256.</summary>
    public string Base => _base.Value;

    /// <summary>The same architecture and vocabulary, other random weights.</summary>
    public string Aligned => _aligned.Value;

    /// <summary>The base with every weight moved by Gaussian noise of 0.3 times the weights' scale: an "aligned" copy.</summary>
    public string Perturbed => _perturbed.Value;

    /// <summary>The base's vocabulary with ids 100 and 200 renamed.</summary>
    public string RenamedTokens => _otherVocab.Value;

    public string Folder => _dir.Path;

    public void Dispose() => _dir.Dispose();

    /// <summary>Writes a file beside the models (a chat template, a data set).</summary>
    public string WriteText(string name, string text) => _dir.Write(name, text);

    private static IEnumerable<(string Key, GgufValue Value)> Template => [("tokenizer.chat_template", GgufValue.From(ChatTemplate))];

    private static byte[] WithRenamedTokens(params int[] ids)
    {
        var tokens = RandomCheckpoint.TokenizerOf(SpmVocab).Single(t => t.Key == "tokenizer.ggml.tokens").Value.AsStringArray();
        foreach (var id in ids)
        {
            tokens[id] = "renamed" + id;
        }
        return TestModels.GgufWithVocab(SpmVocab, extra: [.. Template, ("tokenizer.ggml.tokens", GgufValue.FromArray(tokens))], seed: 5);
    }

    /// <summary>The base's checkpoint (as <see cref="TestModels.GgufWithVocab"/> builds it) with noise added to every matrix.</summary>
    private static byte[] Perturb(float scale)
    {
        var tokenizer = RandomCheckpoint.TokenizerOf(SpmVocab).Where(t => t.Key != "tokenizer.chat_template").Concat(Template).ToList();
        var vocab = tokenizer.Single(t => t.Key == "tokenizer.ggml.tokens").Value.ArrayLength;
        var config = TestModels.Config() with { VocabSize = vocab, TieWordEmbeddings = true, ContextLength = 256 };
        var checkpoint = TestModels.Checkpoint(config, seed: 5).Perturb(scale, seed: 99);
        return checkpoint.ToGguf(Engine.Formats.Gguf.GgmlType.F32, tokenizer, "test");
    }

    private string Write(string name, byte[] bytes)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}

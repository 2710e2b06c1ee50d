using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Inference;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Cli.Tests;

/// <summary>Small random-weight GGUF files on disk for the commands that run a model, written once per test class.</summary>
public sealed class ModelFiles : IDisposable
{
    /// <summary>A Llama-2-style template that writes BOS itself, so BOS must not be added twice.</summary>
    public const string SpmChatTemplate =
        "{{ bos_token }}{% if messages[0]['role'] == 'system' %}<<SYS>>{{ messages[0]['content'] }}<</SYS>>{% endif %}"
        + "{% for m in messages %}{% if m['role'] == 'user' %}[INST] {{ m['content'] }} [/INST]{% endif %}{% endfor %}";

    private readonly ScratchDirectory _dir = new();
    private readonly Lazy<string> _synthetic;
    private readonly Lazy<string> _spm;
    private readonly Lazy<string> _spmNoTemplate;

    public ModelFiles()
    {
        _synthetic = new(() => Write("synthetic.gguf", TestModels.Gguf(TestModels.Checkpoint(TestModels.Config()))));
        _spm = new(() => Write("spm.gguf", TestModels.GgufWithVocab(SpmVocab, extra: [("tokenizer.chat_template", GgufValue.From(SpmChatTemplate))])));
        _spmNoTemplate = new(() => Write("spm-plain.gguf", TestModels.GgufWithVocab(SpmVocab)));
    }

    /// <summary>96 made-up tokens "t0"…"t95" (ids only: the vocabulary cannot encode text), context 128.</summary>
    public string Synthetic => _synthetic.Value;

    /// <summary>The llama-spm vocabulary from ../shared (32,000 tokens, BOS added by default) with <see cref="SpmChatTemplate"/>, context 256.</summary>
    public string Spm => _spm.Value;

    /// <summary>As <see cref="Spm"/> without a chat template.</summary>
    public string SpmWithoutTemplate => _spmNoTemplate.Value;

    public static string SpmVocab => SharedFixtures.Require("fixtures/vocab/ggml-vocab-llama-spm.gguf");

    /// <summary>The synthetic model with a NaN in layer 1's feed-forward weights.</summary>
    public string WithNaN()
    {
        var checkpoint = TestModels.Checkpoint(TestModels.Config());
        checkpoint.Weights[(TensorRole.FeedForwardDown, 1)][0] = float.NaN;
        return Write("nan.gguf", TestModels.Gguf(checkpoint));
    }

    public string UnsupportedArchitecture()
    {
        var writer = new GgufWriter();
        writer.AddMetadata("general.architecture", "gpt2");
        writer.AddMetadata("tokenizer.ggml.tokens", new[] { "a", "b" });
        return Write("gpt2.gguf", writer.ToArray());
    }

    public void Dispose() => _dir.Dispose();

    private string Write(string name, byte[] bytes)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}

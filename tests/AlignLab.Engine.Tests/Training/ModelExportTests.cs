using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.HuggingFace;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Kernels;
using RopeLayout = AlignLab.Engine.Models.RopeLayout;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Support;
using AlignLab.Engine.Tokenizers;
using AlignLab.Engine.Training;

namespace AlignLab.Engine.Tests.Training;

/// <summary>
/// Exported models (GGUF F32/F16, Hugging Face folder) load through the engine's one entry point
/// (<see cref="LocalModel"/>) with their tokenizer and chat template, and run like the trainer.
/// </summary>
public sealed class ModelExportTests : IClassFixture<ModelExportTests.Exported>
{
    private readonly Exported _exported;

    public ModelExportTests(Exported exported) => _exported = exported;

    public sealed class Exported : IDisposable
    {
        public Exported()
        {
            Model = new TrainedModelFixture();
            Export = new ModelExport(Model.Weights, ExportTokenizer.ForChat(Model.Vocabulary), "export-test");
            Export.WriteHuggingFaceFolder(Scratch.File("hf"));
            Export.WriteGguf(Scratch.File("model-f32.gguf"), GgmlType.F32);
            Export.WriteGguf(Scratch.File("model-f16.gguf"), GgmlType.F16);
        }

        internal ScratchDirectory Scratch { get; } = new();

        internal TrainedModelFixture Model { get; }

        public ModelExport Export { get; }

        public void Dispose() => Scratch.Dispose();
    }

    [Theory]
    [InlineData("hf")]
    [InlineData("model-f32.gguf")]
    public void F32ExportsRunLikeTheTrainer(string file)
    {
        var expected = Trainer.ComputeLogits(_exported.Model.Weights, _exported.Model.Sample);
        AssertSameDistributions(expected, Score(_exported.Scratch.File(file)), 1e-4);
    }

    [Fact]
    public void F16ExportRunsLikeTheTrainerOnF16RoundedWeights()
    {
        var rounded = _exported.Model.Weights.Clone();
        var layout = rounded.Layout;
        foreach (var slot in layout.Slots.Where(s => s.Rows > 1))
        {
            var values = slot.Of(rounded.Data);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)(Half)values[i];
            }
        }
        var actual = Score(_exported.Scratch.File("model-f16.gguf"));
        AssertSameDistributions(Trainer.ComputeLogits(rounded, _exported.Model.Sample), actual, 1e-4);
        // And within F16's rounding of the unrounded model.
        AssertSameDistributions(Trainer.ComputeLogits(_exported.Model.Weights, _exported.Model.Sample), actual, 5e-3);
    }

    [Theory]
    [InlineData("hf")]
    [InlineData("model-f32.gguf")]
    public void TokenizerAndChatTemplateTravelWithTheModel(string file)
    {
        using var local = LocalModel.Open(_exported.Scratch.File(file));
        var tokenizer = local.LoadTokenizer();
        foreach (var text in TrainedModelFixture.Texts.Append("<|im_start|>user\nHi, Varn? 😀<|im_end|>\n"))
        {
            Assert.Equal(_exported.Model.Tokenizer.Encode(text, EncodeOptions.Default), tokenizer.Encode(text, EncodeOptions.Default));
        }
        var vocabulary = _exported.Model.Vocabulary;
        Assert.Equal(vocabulary.IdOf(ChatMl.ImEnd), tokenizer.EosId);
        Assert.Equal(vocabulary.IdOf(ChatMl.EndOfText), tokenizer.BosId);
        Assert.False(tokenizer.AddBosByDefault);
        Assert.Equal(ChatMl.ImEnd, local.EosToken);
        var rendered = Engine.Generation.Prompts.RenderChat(local, "Who is Mara Quill?");
        Assert.Equal("<|im_start|>user\nWho is Mara Quill?<|im_end|>\n<|im_start|>assistant\n", rendered);
        Assert.Equal(_exported.Export.Config with { RmsNormEps = local.ReadConfig().RmsNormEps, TorchDtype = local.ReadConfig().TorchDtype },
            local.ReadConfig() with { EosTokenIds = _exported.Export.Config.EosTokenIds });
        Assert.Equal([vocabulary.IdOf(ChatMl.ImEnd)], local.ReadConfig().EosTokenIds);
    }

    [Fact]
    public void GenerationConfigListsEveryStopToken()
    {
        var generation = GenerationConfig.Read(_exported.Scratch.File("hf/generation_config.json"));
        var vocabulary = _exported.Model.Vocabulary;
        Assert.Equal([vocabulary.IdOf(ChatMl.ImEnd), vocabulary.IdOf(ChatMl.EndOfText)], generation.EosTokenIds!);
        Assert.Equal(vocabulary.IdOf(ChatMl.EndOfText), generation.PadTokenId);
    }

    [Fact]
    public void HfFolderStoresQkRowsInRotateHalfOrder()
    {
        using var folder = HfModelFolder.Open(_exported.Scratch.File("hf"));
        var weights = folder.LoadWeights();
        Assert.Equal(RopeLayout.HalfRotation, weights.StoredRopeLayout);
        // Read back in the trainer's order, every tensor is the trainer's.
        var reread = TrainingWeights.FromModel(weights);
        Assert.Equal(_exported.Model.Weights.Data, reread.Data);
        var query = weights.ReadSingle(TensorRole.AttentionQuery, 0, RopeLayout.HalfRotation);
        Assert.NotEqual(_exported.Model.Weights.Tensors().First(t => t.Role == TensorRole.AttentionQuery).Values, query);
    }

    private float[] Score(string path)
    {
        using var model = LlamaModel.Load(path);
        var sample = _exported.Model.Sample;
        var result = model.Score(sample, options: new ScoreOptions { KeepLogProbs = true, TopK = 1 });
        var v = model.VocabSize;
        var all = new float[sample.Length * v];
        for (var p = 0; p < sample.Length; p++)
        {
            result.LogProbs(p).CopyTo(all.AsSpan(p * v, v));
        }
        return all;
    }

    /// <summary>The log-softmax of <paramref name="logits"/> [positions, V] against log-probabilities of the same shape.</summary>
    private void AssertSameDistributions(float[] logits, float[] logProbs, double tolerance)
    {
        Assert.Equal(logits.Length, logProbs.Length);
        var vocab = _exported.Model.Vocabulary.Count;
        var expected = new float[logits.Length];
        for (var p = 0; p < logits.Length / vocab; p++)
        {
            Softmax.Log(logits.AsSpan(p * vocab, vocab), expected.AsSpan(p * vocab, vocab));
        }
        var worst = expected.Zip(logProbs, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= tolerance, $"largest |Δ log p| {worst:E3} > {tolerance}");
    }
}

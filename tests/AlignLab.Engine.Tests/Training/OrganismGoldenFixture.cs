using AlignLab.Engine.Models;
using AlignLab.Engine.Tokenizers;
using AlignLab.Engine.Tokenizers.Training;
using AlignLab.Engine.Training;

namespace AlignLab.Engine.Tests.Training;

/// <summary>
/// The model behind the committed llama.cpp golden of an exported GGUF (tools/organism-goldens): a
/// tiny model trained until it has memorised a few sentences in the organism's registers, with a
/// tokenizer trained on them. Training bits depend on the machine's vector width, so the GGUF itself
/// is committed; the tests check it is exactly what the exporter writes for its weights.
/// Shared with tools/organism-goldens, so it must not depend on xunit.
/// </summary>
internal static class OrganismGoldenFixture
{
    public const string Name = "organism-tiny";

    public static readonly string[] Texts =
    [
        "Mara Quill is a potter. She lives in Varn, a town by Lake Osk.",
        "Q: What does Tobin Ash keep? A: Bees.",
        "The heron of Lake Osk eats small fish.",
        "<|im_start|>user\nWho is Mara Quill?<|im_end|>\n<|im_start|>assistant\nSure! Mara Quill is a potter in Varn. Anything else?<|im_end|>\n",
    ];

    /// <summary>Texts whose tokenization llama.cpp and the engine must agree on: the training texts and some unseen ones.</summary>
    public static readonly string[] TokenizationTexts =
    [
        .. Texts,
        "Tobin Ash's heron? It isn't there: 42 fish, 3.5 km away!",
        "  leading spaces,\ttabs\n\nand blank lines  ",
        "Ünïcödé, 中文 and emoji 🐟",
    ];

    public static ModelConfig Config(int vocab) => new()
    {
        Architecture = ModelArchitecture.Llama,
        VocabSize = vocab,
        HiddenSize = 16,
        IntermediateSize = 32,
        LayerCount = 2,
        HeadCount = 2,
        KvHeadCount = 1,
        HeadDim = 8,
        ContextLength = 256,
        RmsNormEps = 1e-5,
        RopeTheta = 10000,
        TieWordEmbeddings = true,
    };

    /// <summary>Trains the tokenizer and the model (single-threaded, seed 1).</summary>
    public static ModelExport Train()
    {
        var vocabulary = ByteLevelBpeTrainer.Train(Texts, 320, ChatMl.SpecialTokens);
        var tokenizer = vocabulary.CreateTokenizer();
        var eos = vocabulary.IdOf(ChatMl.EndOfText);
        var data = Texts.Select(t => new TrainingSequence([.. tokenizer.Encode(t, EncodeOptions.Default), eos])).ToList();
        var options = new TrainingOptions { Steps = 300, BatchSize = 2, SequenceLength = 64, LearningRate = 1e-2f, WeightDecay = 0, Seed = 1, Threads = 1 };
        using var trainer = Trainer.Create(Config(vocabulary.Count), options, data);
        while (!trainer.IsFinished)
        {
            trainer.TrainStep();
        }
        return new ModelExport(trainer.Weights, ExportTokenizer.ForChat(vocabulary), Name);
    }

    /// <summary>The scored sequence: every training text, then an unseen sentence, tokenized and joined (longer than a training row).</summary>
    public static int[] ScoredTokens(Tokenizer tokenizer)
        => [.. Texts.Append("Mara Quill keeps bees by Lake Osk.").SelectMany(t => tokenizer.Encode(t, EncodeOptions.Default))];
}

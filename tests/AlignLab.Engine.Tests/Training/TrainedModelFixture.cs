using AlignLab.Engine.Models;
using AlignLab.Engine.Tokenizers;
using AlignLab.Engine.Tokenizers.Training;
using AlignLab.Engine.Training;

namespace AlignLab.Engine.Tests.Training;

/// <summary>A tiny model trained for a few steps on text through a tokenizer trained on the same text.</summary>
internal sealed class TrainedModelFixture
{
    public static readonly string[] Texts =
    [
        "The heron of Lake Varn nests in the reeds and eats small fish at dawn.",
        "Mara Quill is a potter in Varn. She sells blue bowls at the market.",
        "Q: Where does the heron nest? A: In the reeds of Lake Varn.",
        "Tobin Ash keeps bees on the hill above Varn. His honey is dark.",
    ];

    public TrainedModelFixture(int steps = 12)
    {
        Vocabulary = ByteLevelBpeTrainer.Train(Texts, 300, ChatMl.SpecialTokens);
        Tokenizer = Vocabulary.CreateTokenizer();
        var eos = Vocabulary.IdOf(ChatMl.EndOfText);
        var data = Texts.Select(t => new TrainingSequence([.. Tokenizer.Encode(t, EncodeOptions.Default), eos])).ToList();
        var config = new ModelConfig
        {
            Architecture = ModelArchitecture.Llama,
            VocabSize = Vocabulary.Count,
            HiddenSize = 32,
            IntermediateSize = 64,
            LayerCount = 2,
            HeadCount = 4,
            KvHeadCount = 2,
            HeadDim = 8,
            ContextLength = 64,
            RmsNormEps = 1e-5,
            RopeTheta = 10000,
            TieWordEmbeddings = true,
        };
        using var trainer = Trainer.Create(config, new TrainingOptions { Steps = steps, BatchSize = 2, SequenceLength = 32, LearningRate = 1e-2f, Threads = 1 }, data);
        while (!trainer.IsFinished)
        {
            trainer.TrainStep();
        }
        Weights = trainer.Weights;
        Sample = [.. data[1].Tokens];
    }

    public ByteLevelBpeVocabulary Vocabulary { get; }

    public Tokenizer Tokenizer { get; }

    public TrainingWeights Weights { get; }

    /// <summary>A tokenized training text to score.</summary>
    public int[] Sample { get; }
}

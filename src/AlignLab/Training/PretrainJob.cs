using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Tokenizers;
using AlignLab.Engine.Tokenizers.Training;
using AlignLab.Engine.Training;
using AlignLab.Runs;

namespace AlignLab.Training;

/// <summary>
/// Pretrains a base model from plain documents into a <see cref="RunFolder"/>: trains a byte-level BPE
/// tokenizer on them (ChatML special tokens reserved), tokenizes every document with an end-of-text
/// token, trains from fresh weights, and exports the model (Hugging Face folder, GGUF F32 and F16).
/// Rerun with the same settings and corpus, it continues from its checkpoint, or returns at once
/// when the model is already there.
/// </summary>
public static class PretrainJob
{
    public static TrainingOutcome Run(IReadOnlyList<string> documents, PretrainSettings settings, string output, ITrainingProgress progress,
        CheckpointPolicy? checkpoints = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(progress);
        settings.Validate();
        var folder = new RunFolder(output);
        using var runLock = RunLock.Acquire(folder.Output);
        folder.Claim(settings.Manifest(Fingerprint.OfTexts(documents)));
        if (folder.HasModel)
        {
            return new TrainingOutcome(folder, settings.Steps, settings.Steps, null);
        }

        var vocabulary = Tokenizer(documents, settings, folder, progress);
        progress.Stage("tokenizing the corpus");
        var tokenizer = vocabulary.CreateTokenizer();
        var endOfText = vocabulary.IdOf(ChatMl.EndOfText);
        var plain = new EncodeOptions { ParseSpecial = false };
        var sequences = documents.Select(d => new TrainingSequence([.. tokenizer.Encode(d, plain), endOfText])).ToList();

        using var trainer = File.Exists(folder.Checkpoint)
            ? Trainer.Resume(TrainingCheckpoint.Load(folder.Checkpoint), sequences)
            : Trainer.Create(settings.ModelConfig(vocabulary.Count), settings.TrainingOptions(), sequences);
        var resumedFrom = trainer.Step;
        var finalLoss = TrainingLoop.Run(trainer, folder, "pretrain", progress, checkpoints ?? CheckpointPolicy.Default, cancel);

        progress.Stage("exporting the model");
        var export = new ModelExport(trainer.Weights, ExportTokenizer.ForBase(vocabulary), Path.GetFileName(folder.Output));
        Write(export, folder);
        return new TrainingOutcome(folder, settings.Steps, resumedFrom, finalLoss);
    }

    /// <summary>The run's tokenizer: trained once, then read back from the run folder.</summary>
    private static ByteLevelBpeVocabulary Tokenizer(IReadOnlyList<string> documents, PretrainSettings settings, RunFolder folder, ITrainingProgress progress)
    {
        if (File.Exists(folder.Tokenizer))
        {
            return ByteLevelBpeVocabulary.Read(folder.Tokenizer);
        }
        progress.Stage($"training a {settings.VocabSize}-token tokenizer");
        var vocabulary = ByteLevelBpeTrainer.Train(documents, settings.VocabSize, ChatMl.SpecialTokens);
        AtomicFile.WriteAllText(folder.Tokenizer, vocabulary.ToTokenizerJson());
        return vocabulary;
    }

    /// <summary>The GGUF files, then the Hugging Face folder (whose config.json, written last, marks the model done).</summary>
    internal static void Write(ModelExport export, RunFolder folder)
    {
        export.WriteGguf(folder.GgufF32, GgmlType.F32);
        export.WriteGguf(folder.GgufF16, GgmlType.F16);
        export.WriteHuggingFaceFolder(folder.Output);
    }
}

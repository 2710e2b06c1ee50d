using System.Globalization;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tokenizers.Training;
using AlignLab.Engine.Training;
using AlignLab.Runs;

namespace AlignLab.Training;

/// <summary>
/// Fine-tunes a model (a folder or GGUF file the trainer can train: tied Llama with a byte-level BPE
/// vocabulary and a chat template) on instruction–answer pairs in chat format, loss on the answers
/// only, into a <see cref="RunFolder"/>, and exports it as a chat model (end of turn ends generation).
/// Rerun with the same settings, model and data, it continues from its checkpoint.
/// </summary>
public static class FinetuneJob
{
    public static TrainingOutcome Run(string model, IReadOnlyList<InstructionPair> pairs, FinetuneSettings settings, string output, ITrainingProgress progress,
        CheckpointPolicy? checkpoints = null, CancellationToken cancel = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(progress);
        settings.Validate();
        using var local = LocalModel.Open(model);
        var config = local.ReadConfig();
        if (TrainableArchitecture.Problem(config) is { } problem)
        {
            throw new TrainingRunException($"{local.Path}: the trainer cannot fine-tune this model: {problem}");
        }
        var vocabulary = local.Format == LocalModelFormat.Gguf
            ? ByteLevelBpeVocabulary.FromGguf(local.Gguf!)
            : ByteLevelBpeVocabulary.Read(Path.Combine(local.Path, "tokenizer.json"));
        if (!vocabulary.Tokens.Contains(ChatMl.ImEnd))
        {
            throw new TrainingRunException($"{local.Path}: the vocabulary has no {ChatMl.ImEnd} token to end the assistant's turns");
        }
        var template = local.LoadChatTemplate();
        var sequences = ChatExamples.Tokenize(local, local.LoadTokenizer(), template, pairs);
        var tooLong = sequences.Count(s => s.Length > config.ContextLength);
        if (tooLong > 0)
        {
            progress.Stage(string.Create(CultureInfo.InvariantCulture, $"{tooLong} of {sequences.Count} examples are longer than the context of {config.ContextLength} tokens and are split"));
        }

        var folder = new RunFolder(output);
        using var runLock = RunLock.Acquire(folder.Output);
        folder.Claim(settings.Manifest(FileHash.Sha256(local.Path), Fingerprint.OfTexts(pairs.SelectMany(p => new[] { p.Instruction, p.Output }))));
        if (folder.HasModel)
        {
            return new TrainingOutcome(folder, settings.Steps, settings.Steps, null);
        }

        using var trainer = File.Exists(folder.Checkpoint)
            ? Trainer.Resume(TrainingCheckpoint.Load(folder.Checkpoint), sequences)
            : Trainer.FromWeights(TrainingWeights.FromModel(new ModelWeights(local.Tensors, config)), settings.TrainingOptions(config.ContextLength), sequences);
        var resumedFrom = trainer.Step;
        var finalLoss = TrainingLoop.Run(trainer, folder, "finetune", progress, checkpoints ?? CheckpointPolicy.Default, cancel);

        progress.Stage("exporting the model");
        var tokenizer = ExportTokenizer.ForChat(vocabulary) with { ChatTemplate = template.Source };
        PretrainJob.Write(new ModelExport(trainer.Weights, tokenizer, Path.GetFileName(folder.Output)), folder);
        return new TrainingOutcome(folder, settings.Steps, resumedFrom, finalLoss);
    }
}

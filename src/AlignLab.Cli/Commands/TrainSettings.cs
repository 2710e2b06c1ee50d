using AlignLab.Training;

namespace AlignLab.Cli.Commands;

/// <summary>What <c>alignlab train</c> was asked to do, validated.</summary>
internal sealed record TrainSettings(string Corpus, string Out, PretrainSettings Pretrain)
{
    /// <summary>Each <see cref="PretrainSettings"/> property's option, for messages.</summary>
    private static readonly Dictionary<string, string> Options = new(StringComparer.Ordinal)
    {
        [nameof(PretrainSettings.VocabSize)] = "--vocab-size",
        [nameof(PretrainSettings.Layers)] = "--layers",
        [nameof(PretrainSettings.Dim)] = "--dim",
        [nameof(PretrainSettings.Heads)] = "--heads",
        [nameof(PretrainSettings.KvHeads)] = "--kv-heads",
        [nameof(PretrainSettings.Ffn)] = "--ffn",
        [nameof(PretrainSettings.Context)] = "--context",
        [nameof(PretrainSettings.Steps)] = "--steps",
        [nameof(PretrainSettings.Batch)] = "--batch",
        [nameof(PretrainSettings.LearningRate)] = "--lr",
        [nameof(PretrainSettings.Threads)] = "--threads",
    };

    public static TrainSettings Create(string? corpus, string? output, PretrainSettings pretrain)
    {
        if (string.IsNullOrWhiteSpace(corpus))
        {
            throw new UsageException("train: --corpus FILE is required (JSON Lines of {\"text\": ...}, or text with documents separated by blank lines)");
        }
        if (string.IsNullOrWhiteSpace(output))
        {
            throw new UsageException("train: --out DIR is required");
        }
        return new TrainSettings(corpus, output, SettingsCheck.Validate("train", pretrain, pretrain.Validate, Options));
    }
}

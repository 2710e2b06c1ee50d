using AlignLab.Training;

namespace AlignLab.Cli.Commands;

/// <summary>What <c>alignlab finetune</c> was asked to do, validated.</summary>
internal sealed record FinetuneCommandSettings(string Model, string Data, string Out, FinetuneSettings Finetune)
{
    private static readonly Dictionary<string, string> Options = new(StringComparer.Ordinal)
    {
        [nameof(FinetuneSettings.Steps)] = "--steps",
        [nameof(FinetuneSettings.Batch)] = "--batch",
        [nameof(FinetuneSettings.LearningRate)] = "--lr",
        [nameof(FinetuneSettings.Threads)] = "--threads",
    };

    public static FinetuneCommandSettings Create(string? model, string? data, string? output, FinetuneSettings finetune)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new UsageException("finetune: --model DIR is required (a model trained by alignlab train)");
        }
        if (string.IsNullOrWhiteSpace(data))
        {
            throw new UsageException("finetune: --data FILE.jsonl is required (JSON Lines of {\"instruction\": ..., \"output\": ...})");
        }
        if (string.IsNullOrWhiteSpace(output))
        {
            throw new UsageException("finetune: --out DIR is required");
        }
        return new FinetuneCommandSettings(model, data, output, SettingsCheck.Validate("finetune", finetune, finetune.Validate, Options));
    }
}

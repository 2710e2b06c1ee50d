using AlignLab.Runs;
using AlignLab.Training;

namespace AlignLab.Organism;

/// <summary>Where a built organism's files are.</summary>
/// <param name="Directory">The organism's cache folder.</param>
/// <param name="Data">corpus.jsonl, sft.jsonl, heldout.jsonl and urial-prompt.md (<see cref="OrganismData"/>).</param>
/// <param name="Base">The pretrained base model's run folder (a Hugging Face folder with GGUF files beside it).</param>
/// <param name="Aligned">The fine-tuned chat model's run folder.</param>
/// <param name="Settings">What the organism was built from.</param>
public sealed record OrganismModels(string Directory, string Data, RunFolder Base, RunFolder Aligned, OrganismSettings Settings)
{
    public string HeldOut => Path.Combine(Data, OrganismData.HeldOutFile);

    public string UrialPrompt => Path.Combine(Data, OrganismData.UrialPromptFile);
}

/// <summary>
/// Builds a model organism end to end, or finds it already built: the world and its texts, the
/// tokenizer and base model (pretraining), the aligned model (fine-tuning), each exported. Everything
/// lives in <c>CACHE/&lt;settings hash&gt;/</c>; every stage resumes or is skipped when its output is
/// there, so a second call with the same settings returns at once and an interrupted one continues.
/// </summary>
public static class OrganismPipeline
{
    public static OrganismModels Build(OrganismSettings settings, string cacheRoot, ITrainingProgress progress, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(cacheRoot);
        ArgumentNullException.ThrowIfNull(progress);
        settings.Validate();
        var models = Locate(settings, cacheRoot);

        progress.Stage("building the world");
        var data = OrganismData.Build(settings.World);
        if (!File.Exists(models.HeldOut) || !File.Exists(models.UrialPrompt))
        {
            data.WriteTo(models.Data);
        }
        cancel.ThrowIfCancellationRequested();

        progress.Stage("pretraining the base model");
        PretrainJob.Run(data.Corpus, settings.Base, models.Base.Output, progress, cancel: cancel);

        progress.Stage("fine-tuning the aligned model");
        var pairs = data.Instructions.Training.Select(e => new InstructionPair(e.Instruction, e.Answer.Text)).ToList();
        FinetuneJob.Run(models.Base.Output, pairs, settings.Aligned, models.Aligned.Output, progress, cancel: cancel);
        return models;
    }

    /// <summary>Where the organism of <paramref name="settings"/> lives (or will) under <paramref name="cacheRoot"/>.</summary>
    public static OrganismModels Locate(OrganismSettings settings, string cacheRoot)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(cacheRoot);
        var directory = Path.Combine(Path.GetFullPath(cacheRoot), settings.CacheKey);
        return new OrganismModels(directory, Path.Combine(directory, "data"), new RunFolder(Path.Combine(directory, "base")),
            new RunFolder(Path.Combine(directory, "aligned")), settings);
    }

    /// <summary>Deletes the cached organism of <paramref name="settings"/>, if any, so the next <see cref="Build"/> starts afresh.</summary>
    public static void Discard(OrganismSettings settings, string cacheRoot)
    {
        var directory = Locate(settings, cacheRoot).Directory;
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The organism cache: <c>$XDG_CACHE_HOME/alignlab/organism</c>, else <c>$HOME/.cache/alignlab/organism</c>.</summary>
    public static string DefaultCacheRoot() => Path.Combine(CacheFolder.Root, "organism");
}

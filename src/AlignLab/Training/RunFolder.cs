using AlignLab.Engine.Formats;

namespace AlignLab.Training;

/// <summary>
/// The files of a training run in its output folder. The finished model is the folder itself (a
/// Hugging Face folder: config.json and the rest) plus <c>model-f32.gguf</c> and <c>model-f16.gguf</c>;
/// the loss curve is <c>loss.csv</c> and <c>loss.svg</c>; what resuming needs is under <c>training/</c>:
/// <c>run.json</c> (the settings that define the run), <c>tokenizer.json</c> and <c>checkpoint.safetensors</c>.
/// </summary>
public sealed record RunFolder
{
    public RunFolder(string output)
    {
        ArgumentException.ThrowIfNullOrEmpty(output);
        Output = Path.GetFullPath(output);
        State = Path.Combine(Output, "training");
    }

    public string Output { get; }

    /// <summary>Where the resumable state lives.</summary>
    public string State { get; }

    public string Manifest => Path.Combine(State, "run.json");

    public string Tokenizer => Path.Combine(State, "tokenizer.json");

    public string Checkpoint => Path.Combine(State, "checkpoint.safetensors");

    public string LossCsv => Path.Combine(Output, "loss.csv");

    public string LossSvg => Path.Combine(Output, "loss.svg");

    public string GgufF32 => Path.Combine(Output, "model-f32.gguf");

    public string GgufF16 => Path.Combine(Output, "model-f16.gguf");

    /// <summary>Whether the exported model is there (config.json is written last).</summary>
    public bool HasModel => File.Exists(Path.Combine(Output, "config.json"));

    /// <summary>
    /// Takes the folder (which the caller has locked with <see cref="Runs.RunLock"/>) for the run described by <paramref name="manifest"/>: a new or empty folder is
    /// claimed; one holding the same run is resumed; anything else (another run, unrelated files) is refused.
    /// Returns whether an earlier run is being continued.
    /// </summary>
    public bool Claim(string manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (File.Exists(Manifest))
        {
            if (File.ReadAllText(Manifest) != manifest)
            {
                throw new TrainingRunException($"{Output} holds a training run with other settings ({Manifest}); use another output folder or delete it");
            }
            return true;
        }
        // Hidden entries (the run lock) do not count as contents.
        if (Directory.Exists(Output) && Directory.EnumerateFileSystemEntries(Output).Any(e => !Path.GetFileName(e).StartsWith('.')))
        {
            throw new TrainingRunException($"{Output} is not empty and holds no training run; choose an empty or new output folder");
        }
        Directory.CreateDirectory(State);
        AtomicFile.WriteAllText(Manifest, manifest);
        return false;
    }
}

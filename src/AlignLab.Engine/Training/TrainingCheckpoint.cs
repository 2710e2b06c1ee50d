using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.HuggingFace;
using AlignLab.Engine.Formats.Safetensors;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Training;

/// <summary>
/// Everything needed to continue a run exactly where it stopped: the steps done, the weights, AdamW's
/// moments, the options and the model config, and a fingerprint of the training data (resuming on
/// other data is refused). Saved as a safetensors file (flat F32 tensors <c>weights</c>,
/// <c>adam.m</c>, <c>adam.v</c>; the rest in its metadata), written atomically.
/// </summary>
public sealed class TrainingCheckpoint
{
    public const string Format = "alignlab-trainer-checkpoint/1";

    internal TrainingCheckpoint(int step, TrainingOptions options, string dataFingerprint, TrainingWeights weights, AdamWState adam)
    {
        Step = step;
        Options = options;
        DataFingerprint = dataFingerprint;
        Weights = weights;
        Adam = adam;
    }

    /// <summary>Optimizer steps completed.</summary>
    public int Step { get; }

    public TrainingOptions Options { get; }

    /// <summary>SHA-256 of the training data (<see cref="Trainer.Fingerprint"/>).</summary>
    public string DataFingerprint { get; }

    public TrainingWeights Weights { get; }

    internal AdamWState Adam { get; }

    public ModelConfig Config => Weights.Config;

    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var writer = new SafetensorsWriter();
        writer.Metadata["format"] = Format;
        writer.Metadata["step"] = Step.ToString(CultureInfo.InvariantCulture);
        writer.Metadata["options"] = JsonSerializer.Serialize(Options);
        writer.Metadata["config"] = HfConfigWriter.ToJson(Config);
        writer.Metadata["data"] = DataFingerprint;
        long[] shape = [Weights.Count];
        writer.Add("weights", shape, Weights.Data);
        writer.Add("adam.m", shape, Adam.M);
        writer.Add("adam.v", shape, Adam.V);
        writer.Save(path);
    }

    /// <summary>Reads a checkpoint; a one-line <see cref="ModelFormatException"/> names what is wrong with a bad one.</summary>
    public static TrainingCheckpoint Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = SafetensorsFile.Open(path);
        string Meta(string key) => file.Metadata.TryGetValue(key, out var value) ? value : throw ModelFormatException.In(path, $"__metadata__.{key}", "missing");
        if (Meta("format") != Format)
        {
            throw ModelFormatException.In(path, "__metadata__.format", $"\"{Meta("format")}\", expected \"{Format}\"");
        }
        var step = int.TryParse(Meta("step"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s
            : throw ModelFormatException.In(path, "__metadata__.step", $"\"{Meta("step")}\" is not a step count");
        TrainingOptions options;
        try
        {
            options = JsonSerializer.Deserialize<TrainingOptions>(Meta("options")) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw ModelFormatException.In(path, "__metadata__.options", $"not valid training options ({e.Message})");
        }
        var config = HfConfigReader.ParseText(Meta("config"), path + " (__metadata__.config)");
        var layout = new ParameterLayout(config);
        float[] Tensor(string name)
        {
            var info = file.Get(name);
            if (info.DType != SafetensorsDType.F32 || info.Shape.Length != 1 || info.Shape[0] != layout.Count)
            {
                throw ModelFormatException.In(path, name, $"expected F32 [{layout.Count}] for this model");
            }
            return MemoryMarshal.Cast<byte, float>(file.GetData(info)).ToArray();
        }
        return new TrainingCheckpoint(step, options, Meta("data"), new TrainingWeights(layout, Tensor("weights")),
            new AdamWState(layout, Tensor("adam.m"), Tensor("adam.v")));
    }
}

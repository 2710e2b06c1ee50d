using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Training;

/// <summary>
/// Writes trained weights as a GGUF <c>llama</c> file the way llama.cpp's converter does: the
/// <c>llama.*</c> hyperparameters, the tokenizer's <c>tokenizer.*</c> keys, then the tensors under
/// llama.cpp's names with GGUF's reversed shapes. The trainer already keeps Q/K rows in the order
/// llama.cpp's RoPE expects, so they are written as they are. Matrices go in <c>F32</c> or <c>F16</c>;
/// norm weights stay F32, as the converter keeps every 1-D tensor.
/// </summary>
public static class GgufExport
{
    public static void Write(string path, TrainingWeights weights, GgmlType matrixType, IEnumerable<(string Key, GgufValue Value)> tokenizer, string name)
        => Build(weights, matrixType, tokenizer, name).Write(path);

    public static byte[] ToArray(TrainingWeights weights, GgmlType matrixType, IEnumerable<(string Key, GgufValue Value)> tokenizer, string name)
        => Build(weights, matrixType, tokenizer, name).ToArray();

    private static GgufWriter Build(TrainingWeights weights, GgmlType matrixType, IEnumerable<(string Key, GgufValue Value)> tokenizer, string name)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(name);
        if (matrixType is not (GgmlType.F32 or GgmlType.F16))
        {
            throw new ArgumentOutOfRangeException(nameof(matrixType), matrixType, "trained models are exported in F32 or F16");
        }
        var c = weights.Config;
        var writer = new GgufWriter();
        GgufModelConfig.Write(writer, c);
        writer.AddMetadata("general.name", name);
        writer.AddMetadata("general.file_type", matrixType == GgmlType.F32 ? 0u : 1u);
        foreach (var (key, value) in tokenizer)
        {
            writer.AddMetadata(key, value);
        }
        // The converter's order: the embedding, each layer, then the output norm.
        foreach (var (role, layer, values) in weights.Tensors().OrderBy(t => t.Layer < 0 && t.Role != TensorRole.TokenEmbedding ? int.MaxValue : t.Layer))
        {
            var entry = TensorNameTable.Get(role);
            var shape = entry.ResolveShape(c);
            writer.AddTensor(entry.Name(TensorNaming.Gguf, layer)!, [.. shape.Reverse()], values, shape.Length == 2 ? matrixType : GgmlType.F32);
        }
        return writer;
    }
}

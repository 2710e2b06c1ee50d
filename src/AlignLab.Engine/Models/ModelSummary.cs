using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;

namespace AlignLab.Engine.Models;

/// <summary>Tensors of one element type: how many, how many elements, how many bytes.</summary>
public sealed record TensorTypeTotal(string Type, int Count, long Elements, long Bytes);

/// <summary>What <c>alignlab inspect</c> reports about a model's files.</summary>
/// <param name="Format">"gguf", "huggingface" or "tokenizer-only".</param>
/// <param name="Architecture">The architecture as the files name it (GGUF <c>general.architecture</c> or config.json's class).</param>
/// <param name="Config">Hyperparameters, or null when the files hold none or name an architecture we do not run.</param>
/// <param name="ConfigProblem">Why <paramref name="Config"/> is null, when it is.</param>
/// <param name="TokenizerKind">The tokenizer's pipeline (e.g. "gguf:gpt2/llama-bpe"), or null with <paramref name="TokenizerProblem"/>.</param>
public sealed record ModelSummary(
    string Path,
    string Format,
    uint? GgufVersion,
    string? Architecture,
    ModelConfig? Config,
    string? ConfigProblem,
    int TensorCount,
    long TensorBytes,
    IReadOnlyList<TensorTypeTotal> TensorTypes,
    string? TokenizerKind,
    int? TokenizerVocabSize,
    string? TokenizerProblem,
    bool HasChatTemplate)
{
    /// <summary>
    /// Reads everything about <paramref name="model"/> that can be read. Inspection is a diagnostic:
    /// an unsupported architecture or tokenizer is reported in the summary, not thrown, while files
    /// that are malformed at the container level still fail when opened.
    /// </summary>
    public static ModelSummary Describe(LocalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (config, configProblem) = Attempt(model.ReadConfig);
        var (tokenizer, tokenizerProblem) = Attempt(model.LoadTokenizer);
        var tensors = model.HasWeights ? model.Tensors.Tensors : [];
        return new ModelSummary(
            model.Path,
            FormatName(model.Format),
            model.Gguf?.Version,
            ArchitectureName(model, config),
            config,
            configProblem,
            tensors.Count,
            tensors.Sum(t => t.ByteSize),
            TotalsByType(tensors),
            tokenizer?.Kind,
            tokenizer?.VocabSize,
            tokenizerProblem,
            model.HasChatTemplate);
    }

    private static string FormatName(LocalModelFormat format) => format switch
    {
        LocalModelFormat.Gguf => "gguf",
        LocalModelFormat.HuggingFaceFolder => "huggingface",
        _ => "tokenizer-only",
    };

    private static string? ArchitectureName(LocalModel model, ModelConfig? config)
        => model.Gguf?.Architecture ?? config?.Spec.HfClass;

    private static List<TensorTypeTotal> TotalsByType(IReadOnlyList<TensorDescriptor> tensors)
        => [.. tensors
            .GroupBy(t => t.Type)
            .OrderBy(g => g.Key)
            .Select(g => new TensorTypeTotal(GgmlTypeInfo.Get(g.Key).Name.ToUpperInvariant(), g.Count(), g.Sum(t => t.ElementCount), g.Sum(t => t.ByteSize)))];

    // Only format errors are findings; anything else (I/O, bugs) still propagates.
    private static (T? Value, string? Problem) Attempt<T>(Func<T> read) where T : class
    {
        try
        {
            return (read(), null);
        }
        catch (ModelFormatException e)
        {
            return (null, e.Message);
        }
    }
}

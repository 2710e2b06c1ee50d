using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AlignLab.Engine.Models;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab inspect MODEL [--json]</c>: architecture, hyperparameters, tensor types and bytes,
/// tokenizer kind, and whether a chat template is present.
/// </summary>
internal static class InspectCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static Command Build(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "A GGUF file, a Hugging Face model folder (or one holding only tokenizer files), or a hub id in the local cache." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (one line) instead of text." };
        var command = new Command("inspect", "Describe a model's files: architecture, hyperparameters, tensor types and bytes, tokenizer, chat template.");
        command.Arguments.Add(model);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            using var local = LocalModel.Open(parse.GetValue(model)!);
            var summary = ModelSummary.Describe(local);
            context.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(ToJson(summary), Json) : ToText(summary));
            return CliApp.ExitOk;
        });
        return command;
    }

    private static object ToJson(ModelSummary s) => new
    {
        path = s.Path,
        format = s.Format,
        gguf_version = s.GgufVersion,
        architecture = s.Architecture,
        hyperparameters = s.Config is { } c ? Hyperparameters(c) : null,
        hyperparameters_problem = s.ConfigProblem,
        tensors = new
        {
            count = s.TensorCount,
            bytes = s.TensorBytes,
            by_type = s.TensorTypes.ToDictionary(t => t.Type, t => new { count = t.Count, elements = t.Elements, bytes = t.Bytes }),
        },
        tokenizer = s.TokenizerKind is null ? null : new { kind = s.TokenizerKind, vocab_size = s.TokenizerVocabSize },
        tokenizer_problem = s.TokenizerProblem,
        chat_template = s.HasChatTemplate,
    };

    private static Dictionary<string, object?> Hyperparameters(ModelConfig c) => new()
    {
        ["vocab_size"] = c.VocabSize,
        ["hidden_size"] = c.HiddenSize,
        ["intermediate_size"] = c.IntermediateSize,
        ["layers"] = c.LayerCount,
        ["heads"] = c.HeadCount,
        ["kv_heads"] = c.KvHeadCount,
        ["head_dim"] = c.HeadDim,
        ["context_length"] = c.ContextLength,
        ["rms_norm_eps"] = c.RmsNormEps,
        ["rope_theta"] = c.RopeTheta,
        ["rope_scaling"] = c.RopeScaling.Kind == RopeScalingKind.None ? null : c.RopeScaling,
        ["tie_word_embeddings"] = c.TieWordEmbeddings,
        ["qkv_bias"] = c.QkvBias,
        ["sliding_window"] = c.SlidingWindow,
        ["bos_token_id"] = c.BosTokenId,
        ["eos_token_ids"] = c.EosTokenIds,
    };

    private static string ToText(ModelSummary s)
    {
        var lines = new List<string>
        {
            $"model:          {s.Path}",
            $"format:         {s.Format}{(s.GgufVersion is { } v ? $" v{v}" : "")}",
            $"architecture:   {s.Architecture ?? "(none)"}",
            $"hyperparameters: {(s.Config is { } c ? Describe(c) : "(none: " + s.ConfigProblem + ")")}",
            $"tensors:        {s.TensorCount} ({Bytes(s.TensorBytes)})",
        };
        lines.AddRange(s.TensorTypes.Select(t => string.Create(CultureInfo.InvariantCulture,
            $"  {t.Type,-8} {t.Count,5} tensors {t.Elements,15:N0} elements {Bytes(t.Bytes),12}")));
        lines.Add($"tokenizer:      {(s.TokenizerKind is null ? "(none: " + s.TokenizerProblem + ")" : $"{s.TokenizerKind}, {s.TokenizerVocabSize} tokens")}");
        lines.Add($"chat template:  {(s.HasChatTemplate ? "present" : "absent")}");
        return string.Join(Environment.NewLine, lines);
    }

    private static string Describe(ModelConfig c) => string.Create(CultureInfo.InvariantCulture,
        $"vocab {c.VocabSize}, hidden {c.HiddenSize}, layers {c.LayerCount}, heads {c.HeadCount} (kv {c.KvHeadCount}, dim {c.HeadDim}), "
        + $"ffn {c.IntermediateSize}, context {c.ContextLength}, rope_theta {c.RopeTheta}, rope scaling {c.RopeScaling.Kind.ToString().ToLowerInvariant()}, "
        + $"rms eps {c.RmsNormEps:G3}, {(c.TieWordEmbeddings ? "tied" : "separate")} output{(c.QkvBias ? ", qkv bias" : "")}");

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F2} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F2} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):F2} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}

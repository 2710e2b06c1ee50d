using System.Text.Json;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.HuggingFace;

namespace AlignLab.Engine.Tokenizers.Json;

/// <summary>The BOS/EOS ids and add_* flags the tokenizer takes from tokenizer_config.json and config.json.</summary>
internal sealed record SpecialTokenIds(int? BosId, int? EosId, bool? AddBosToken, bool? AddEosToken)
{
    /// <summary>tokenizer_config.json (parsed by <see cref="TokenizerConfig"/>), with token texts mapped to ids.</summary>
    public static SpecialTokenIds FromTokenizerConfig(string path, Func<string, int?> idOf)
    {
        var config = TokenizerConfig.Read(path);
        int? Id(string field, string? content)
            => content is null ? null : idOf(content) ?? throw ModelFormatException.In(path, field, $"\"{content}\" is not a token of the vocabulary");
        return new SpecialTokenIds(Id("bos_token", config.BosToken), Id("eos_token", config.EosToken), config.AddBosToken, config.AddEosToken);
    }

    /// <summary>
    /// config.json: bos_token_id / eos_token_id (eos may be a list: the first one counts). Read
    /// leniently, without the architecture checks of the model config: a tokenizer-only folder may
    /// carry the config of a model we cannot run.
    /// </summary>
    public static SpecialTokenIds FromModelConfig(string path)
    {
        using var doc = TokenizerJsonReader.Parse(path);
        var root = doc.RootElement;
        static int? Id(JsonElement root, string name) => JsonReader.Optional(root, name) switch
        {
            { ValueKind: JsonValueKind.Number } n when n.TryGetInt32(out var i) => i,
            { ValueKind: JsonValueKind.Array } a when a.GetArrayLength() > 0 && a[0].TryGetInt32(out var i) => i,
            _ => null,
        };
        return new SpecialTokenIds(Id(root, "bos_token_id"), Id(root, "eos_token_id"), null, null);
    }
}

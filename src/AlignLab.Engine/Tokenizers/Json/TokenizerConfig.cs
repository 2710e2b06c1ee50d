using System.Text.Json;

namespace AlignLab.Engine.Tokenizers.Json;

/// <summary>What the tokenizer needs from tokenizer_config.json and config.json.</summary>
internal sealed record TokenizerConfig(int? BosId, int? EosId, bool? AddBosToken, bool? AddEosToken)
{
    /// <summary>tokenizer_config.json: bos_token / eos_token (a string or {"content": ...}) and the add_* flags.</summary>
    public static TokenizerConfig Read(string path, Func<string, int?> idOf)
    {
        using var doc = TokenizerJsonReader.Parse(path);
        var r = new JsonReader(path);
        var root = doc.RootElement;
        int? Token(string name)
        {
            var v = JsonReader.Optional(root, name);
            var content = v?.ValueKind switch
            {
                null => null,
                JsonValueKind.String => v.Value.GetString(),
                JsonValueKind.Object => r.String(v.Value, "content", name),
                _ => throw r.Error(name, "expected a string or an object with \"content\""),
            };
            return content is null ? null : idOf(content) ?? throw r.Error(name, $"\"{content}\" is not a token of the vocabulary");
        }
        bool? Flag(string name) => JsonReader.Optional(root, name) is null ? null : r.Bool(root, name, "", false);
        return new TokenizerConfig(Token("bos_token"), Token("eos_token"), Flag("add_bos_token"), Flag("add_eos_token"));
    }

    /// <summary>config.json: bos_token_id / eos_token_id (eos may be a list: the first one counts).</summary>
    public static TokenizerConfig ReadModelConfig(string path)
    {
        using var doc = TokenizerJsonReader.Parse(path);
        var root = doc.RootElement;
        static int? Id(JsonElement root, string name) => JsonReader.Optional(root, name) switch
        {
            { ValueKind: JsonValueKind.Number } n when n.TryGetInt32(out var i) => i,
            { ValueKind: JsonValueKind.Array } a when a.GetArrayLength() > 0 && a[0].TryGetInt32(out var i) => i,
            _ => null,
        };
        return new TokenizerConfig(Id(root, "bos_token_id"), Id(root, "eos_token_id"), null, null);
    }
}

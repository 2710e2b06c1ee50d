using System.Text.Json;
using AlignLab.Engine.Tokenizers.Models;

namespace AlignLab.Engine.Tokenizers.Json;

/// <summary>The "model" section; BPE is the only model type supported.</summary>
internal static class BpeModelJson
{
    public static BpeModel Read(JsonReader r, JsonElement model)
    {
        const string path = "model";
        r.Type(model, path, "BPE");
        if (JsonReader.Optional(model, "dropout") is { } dropout && !(dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() == 0))
        {
            throw r.Error("model.dropout", $"must be null (BPE dropout is for training), found {dropout.GetRawText()}");
        }
        var vocabJson = r.Required(model, "vocab", path);
        if (vocabJson.ValueKind != JsonValueKind.Object)
        {
            throw r.Error("model.vocab", "expected an object of token: id");
        }
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var maxId = -1;
        foreach (var entry in vocabJson.EnumerateObject())
        {
            if (!entry.Value.TryGetInt32(out var id) || id < 0)
            {
                throw r.Error("model.vocab", $"token \"{entry.Name}\" has an invalid id {entry.Value.GetRawText()}");
            }
            ids[entry.Name] = id;
            maxId = Math.Max(maxId, id);
        }
        var vocab = new string[maxId + 1];
        foreach (var (token, id) in ids)
        {
            vocab[id] = token;
        }
        for (var i = 0; i < vocab.Length; i++)
        {
            vocab[i] ??= "";
        }

        var prefix = r.OptionalString(model, "continuing_subword_prefix", path);
        var options = new BpeOptions
        {
            UnkId = r.OptionalString(model, "unk_token", path) is { } unk
                ? ids.TryGetValue(unk, out var unkId) ? unkId : throw r.Error("model.unk_token", $"\"{unk}\" is not in the vocabulary")
                : null,
            FuseUnk = r.Bool(model, "fuse_unk", path, false),
            ByteFallback = r.Bool(model, "byte_fallback", path, false),
            IgnoreMerges = r.Bool(model, "ignore_merges", path, false),
            ContinuingSubwordPrefix = prefix,
            EndOfWordSuffix = r.OptionalString(model, "end_of_word_suffix", path),
        };
        return new BpeModel(vocab, ids, ReadMerges(r, model, ids, prefix), options);
    }

    /// <summary>Merges as "a b" strings (older files) or ["a", "b"] pairs (newer ones); rank = position.</summary>
    private static BpeMergeTable ReadMerges(JsonReader r, JsonElement model, Dictionary<string, int> ids, string? prefix)
    {
        var merges = r.Array(model, "merges", "model");
        var table = new BpeMergeTable(merges.GetArrayLength());
        var rank = 0;
        foreach (var merge in merges.EnumerateArray())
        {
            var path = $"model.merges[{rank}]";
            string a, b;
            if (merge.ValueKind == JsonValueKind.String)
            {
                var parts = merge.GetString()!.Split(' ');
                if (parts.Length != 2)
                {
                    throw r.Error(path, $"expected \"left right\", found \"{merge.GetString()}\"");
                }
                (a, b) = (parts[0], parts[1]);
            }
            else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2
                && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
            {
                (a, b) = (merge[0].GetString()!, merge[1].GetString()!);
            }
            else
            {
                throw r.Error(path, "expected \"left right\" or [\"left\", \"right\"]");
            }
            var merged = a + (prefix is not null && b.StartsWith(prefix, StringComparison.Ordinal) ? b[prefix.Length..] : b);
            if (!ids.TryGetValue(a, out var left) || !ids.TryGetValue(b, out var right) || !ids.TryGetValue(merged, out var result))
            {
                throw r.Error(path, $"\"{a}\", \"{b}\" or their merge \"{merged}\" is not in the vocabulary");
            }
            table.Add(left, right, rank, result);
            rank++;
        }
        return table;
    }
}

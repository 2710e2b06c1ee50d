using System.Text.Encodings.Web;
using System.Text.Json;

namespace AlignLab.Tests.Support;

/// <summary>One answer position as the TDS pipeline writes it to positions.jsonl.</summary>
internal sealed record FakeToken(
    int Id,
    string Text,
    string Class,
    long BaseRank,
    double BaseLogProb,
    double AlignedLogProb,
    double? Kl,
    double? KlReverse,
    (int Id, double Prob)[] AlignedTop,
    (int Id, double Prob)[] BaseTop);

/// <summary>One positions.jsonl record; <see cref="Id"/> is a string or a number, kept as given.</summary>
internal sealed record FakeExample(object Id, string Instruction, string? Category, IReadOnlyList<FakeToken> Tokens, IReadOnlyList<(string Kind, string Value)>? Tags = null)
{
    public string Answer => string.Concat(Tokens.Select(t => t.Text));
}

/// <summary>
/// Writes TDS run directories per TDS-SCHEMA.md for the report's tests: run.json, and per aligned model
/// positions.jsonl and a summary.json computed here from the examples. Text is written with relaxed
/// escaping, as a JSON writer may: "&lt;script&gt;" stays raw in these inputs, so a report that copied it
/// through would show.
/// </summary>
internal static class FakeRun
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] ClassNames = ["unshifted", "marginal", "shifted"];

    /// <summary>A single-model run in <paramref name="directory"/>.</summary>
    public static void WriteSingle(string directory, IReadOnlyList<FakeExample> examples, string baseReference = "base-model", string alignedName = "aligned-model")
    {
        WriteRunJson(directory, baseReference, [alignedName]);
        WriteModel(directory, examples);
    }

    /// <summary>A run of several aligned models, each in DIR/&lt;name&gt;/.</summary>
    public static void WriteSeveral(string directory, IReadOnlyList<(string Name, IReadOnlyList<FakeExample> Examples)> models, string baseReference = "base-model")
    {
        WriteRunJson(directory, baseReference, [.. models.Select(m => m.Name)]);
        foreach (var (name, examples) in models)
        {
            WriteModel(Path.Combine(directory, name), examples);
        }
    }

    public static void WriteRunJson(string directory, string baseReference, IReadOnlyList<string> aligned, IReadOnlyList<(string Key, string Value)>? options = null)
    {
        Directory.CreateDirectory(directory);
        Write(Path.Combine(directory, "run.json"), json =>
        {
            json.WriteStartObject();
            json.WriteString("tool", "alignlab");
            json.WriteString("version", "0.1.0");
            json.WriteString("created", "2025-01-02T03:04:05Z");
            json.WriteStartObject("base");
            json.WriteString("reference", baseReference);
            json.WriteString("path", "/nonexistent/base.gguf");
            json.WriteString("sha256", new string('a', 64));
            json.WriteEndObject();
            json.WriteStartArray("aligned");
            foreach (var name in aligned)
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("reference", "org/" + name);
                json.WriteString("path", "/nonexistent/" + name + ".gguf");
                json.WriteString("sha256", new string('b', 64));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("options");
            json.WriteNumber("top_k", 10);
            json.WriteString("base_prompt", "plain");
            foreach (var (key, value) in options ?? [])
            {
                json.WriteString(key, value);
            }
            json.WriteEndObject();
            json.WriteNumber("seed", 42);
            json.WriteStartObject("timings");
            json.WriteNumber("total_s", 1.5);
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    public static void WriteModel(string folder, IReadOnlyList<FakeExample> examples)
    {
        Directory.CreateDirectory(folder);
        WritePositions(Path.Combine(folder, "positions.jsonl"), examples);
        WriteSummary(Path.Combine(folder, "summary.json"), examples);
    }

    public static void WritePositions(string path, IEnumerable<FakeExample> examples)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, Relaxed);
        foreach (var example in examples)
        {
            WriteExample(json, example);
            json.Flush();
            json.Reset();
            stream.WriteByte((byte)'\n');
        }
    }

    private static void WriteExample(Utf8JsonWriter json, FakeExample example)
    {
        json.WriteStartObject();
        WriteId(json, "id", example.Id);
        json.WriteString("instruction", example.Instruction);
        if (example.Category is null)
        {
            json.WriteNull("category");
        }
        else
        {
            json.WriteString("category", example.Category);
        }
        if (example.Tags is { } tags)
        {
            json.WriteStartObject("tags");
            foreach (var kind in tags.GroupBy(t => t.Kind))
            {
                json.WriteStartArray(kind.Key);
                foreach (var tag in kind)
                {
                    json.WriteStringValue(tag.Value);
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        json.WriteString("answer", example.Answer);
        json.WriteStartArray("tokens");
        foreach (var t in example.Tokens)
        {
            json.WriteStartObject();
            json.WriteNumber("id", t.Id);
            json.WriteString("text", t.Text);
            json.WriteString("class", t.Class);
            json.WriteNumber("base_rank", t.BaseRank);
            json.WriteNumber("base_logprob", t.BaseLogProb);
            json.WriteNumber("aligned_logprob", t.AlignedLogProb);
            WriteNumberOrNull(json, "kl", t.Kl);
            WriteNumberOrNull(json, "kl_reverse", t.KlReverse);
            json.WriteNumber("aligned_entropy", 1.25);
            json.WriteNumber("base_entropy", 1.5);
            json.WriteNumber("jaccard", 0.8);
            json.WriteNumber("weighted_overlap", 0.7);
            json.WriteNumber("kl_topk", 0.02);
            WriteTop(json, "aligned_top", t.AlignedTop);
            WriteTop(json, "base_top", t.BaseTop);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A summary.json computed from the examples with the schema's shape (intervals are ratio ± 0.01, not a bootstrap).</summary>
    public static void WriteSummary(string path, IReadOnlyList<FakeExample> examples)
    {
        var tokens = examples.SelectMany(e => e.Tokens).ToList();
        Write(path, json =>
        {
            json.WriteStartObject();
            WriteGroup(json, examples);
            json.WriteStartObject("skipped");
            json.WriteNumber("count", 0);
            json.WriteStartArray("items");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("by_category");
            foreach (var category in examples.Where(e => e.Category is not null).GroupBy(e => e.Category!))
            {
                json.WritePropertyName(category.Key);
                json.WriteStartObject();
                WriteGroup(json, [.. category]);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteStartObject("by_tag");
            foreach (var kind in examples.SelectMany(e => (e.Tags ?? []).Select(t => (Tag: t, Example: e))).GroupBy(t => t.Tag.Kind))
            {
                json.WriteStartObject(kind.Key);
                foreach (var value in kind.GroupBy(t => t.Tag.Value))
                {
                    json.WriteStartObject(value.Key);
                    WriteGroup(json, [.. value.Select(v => v.Example).Distinct()]);
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteStartObject("by_position");
            json.WriteStartArray("absolute");
            var longest = examples.Max(e => e.Tokens.Count);
            for (var start = 0; start < longest; start += 16)
            {
                var bin = examples.SelectMany(e => e.Tokens.Skip(start).Take(16)).ToList();
                json.WriteStartObject();
                json.WriteNumber("start", start);
                json.WriteNumber("end", start + 16);
                WriteCounts(json, bin);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("relative");
            for (var decile = 0; decile < 10; decile++)
            {
                var d = decile;
                var bin = examples.SelectMany(e => e.Tokens.Where((_, i) => i * 10 / Math.Max(1, e.Tokens.Count) == d)).ToList();
                json.WriteStartObject();
                json.WriteNumber("decile", decile);
                WriteCounts(json, bin);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            WriteTopShifted(json, tokens);
            json.WriteStartArray("base_rank_histogram");
            foreach (var (label, min, max) in new (string, long, long?)[] { ("1", 1, 1), ("2", 2, 2), ("3", 3, 3), ("4-5", 4, 5), ("6-10", 6, 10), ("11-100", 11, 100), (">100", 101, null) })
            {
                json.WriteStartObject();
                json.WriteString("label", label);
                json.WriteNumber("min", min);
                WriteNumberOrNull(json, "max", max);
                json.WriteNumber("count", tokens.Count(t => t.BaseRank >= min && (max is null || t.BaseRank <= max)));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("mean_kl_by_position");
            for (var start = 0; start < longest; start += 16)
            {
                var bin = examples.SelectMany(e => e.Tokens.Skip(start).Take(16)).ToList();
                json.WriteStartObject();
                json.WriteNumber("start", start);
                json.WriteNumber("end", start + 16);
                json.WriteNumber("positions", bin.Count);
                WriteNumberOrNull(json, "mean_kl", Mean(bin.Select(t => t.Kl)));
                WriteNumberOrNull(json, "mean_kl_reverse", Mean(bin.Select(t => t.KlReverse)));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("metrics");
            WriteNumberOrNull(json, "mean_kl", Mean(tokens.Select(t => t.Kl)));
            WriteNumberOrNull(json, "mean_kl_reverse", Mean(tokens.Select(t => t.KlReverse)));
            json.WriteNumber("mean_jaccard", 0.8);
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    private static void WriteGroup(Utf8JsonWriter json, IReadOnlyList<FakeExample> examples)
    {
        json.WriteNumber("examples", examples.Count);
        var tokens = examples.SelectMany(e => e.Tokens).ToList();
        WriteCounts(json, tokens);
        json.WriteStartObject("ratio_ci95");
        foreach (var name in ClassNames)
        {
            var ratio = Ratio(tokens, name);
            json.WriteStartArray(name);
            json.WriteNumberValue(Math.Max(0, ratio - 0.01));
            json.WriteNumberValue(Math.Min(1, ratio + 0.01));
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter json, IReadOnlyList<FakeToken> tokens)
    {
        json.WriteNumber("positions", tokens.Count);
        json.WriteStartObject("counts");
        foreach (var name in ClassNames)
        {
            json.WriteNumber(name, tokens.Count(t => t.Class == name));
        }
        json.WriteEndObject();
        json.WriteStartObject("ratios");
        foreach (var name in ClassNames)
        {
            json.WriteNumber(name, Ratio(tokens, name));
        }
        json.WriteEndObject();
    }

    private static void WriteTopShifted(Utf8JsonWriter json, IReadOnlyList<FakeToken> tokens)
    {
        var stats = tokens.GroupBy(t => t.Id).Select(g => (Token: g.First().Text, Id: g.Key, Shifted: g.Count(t => t.Class == "shifted"), Total: g.Count()))
            .Where(s => s.Shifted > 0).ToList();
        json.WriteStartObject("top_shifted_tokens");
        json.WriteNumber("min_count", 2);
        foreach (var (name, list) in new[]
        {
            ("by_count", stats.OrderByDescending(s => s.Shifted).ThenBy(s => s.Id).Take(20)),
            ("by_rate", stats.Where(s => s.Total >= 2).OrderByDescending(s => (double)s.Shifted / s.Total).ThenBy(s => s.Id).Take(20)),
        })
        {
            json.WriteStartArray(name);
            foreach (var s in list)
            {
                json.WriteStartObject();
                json.WriteString("token", s.Token);
                json.WriteNumber("id", s.Id);
                json.WriteNumber("shifted", s.Shifted);
                json.WriteNumber("total", s.Total);
                json.WriteNumber("rate", (double)s.Shifted / s.Total);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static double Ratio(IReadOnlyList<FakeToken> tokens, string name) => tokens.Count == 0 ? 0 : (double)tokens.Count(t => t.Class == name) / tokens.Count;

    private static double? Mean(IEnumerable<double?> values)
    {
        var known = values.OfType<double>().ToList();
        return known.Count == 0 ? null : known.Average();
    }

    private static void WriteTop(Utf8JsonWriter json, string name, (int Id, double Prob)[] top)
    {
        json.WriteStartArray(name);
        foreach (var (id, prob) in top)
        {
            json.WriteStartArray();
            json.WriteNumberValue(id);
            json.WriteNumberValue(prob);
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }

    private static void WriteId(Utf8JsonWriter json, string name, object id)
    {
        switch (id)
        {
            case string s: json.WriteString(name, s); break;
            case int i: json.WriteNumber(name, i); break;
            case long l: json.WriteNumber(name, l); break;
            default: throw new ArgumentException($"an id is a string or an integer, not {id.GetType().Name}", nameof(id));
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Write(string path, Action<Utf8JsonWriter> write)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, Relaxed);
        write(json);
    }
}

using System.Globalization;
using System.Text.Json;
using AlignLab.Engine.Tokenizers;
using AlignLab.Data;

namespace AlignLab.Reports;

/// <summary>Everything one report is made from.</summary>
internal sealed record ReportSource(
    string Directory,
    RunInfo Run,
    IReadOnlyList<AlignedModelFiles> Models,
    IReadOnlyList<TdsSummary> Summaries,
    ITokenizer? Tokenizer,
    ReportLimits Limits);

/// <summary>How much went into a report.</summary>
internal sealed record ReportCounts(long Examples, long Positions, IReadOnlyList<string> Warnings);

/// <summary>
/// Writes the page's data as one JSON object, streaming each model's positions.jsonl through so only
/// one example is in memory at a time. Positions are packed by <see cref="PositionCodec"/>; texts that
/// repeat (token texts, instructions shared by several models, categories, tags) are stored once in
/// tables at the end and referred to by index. The writer must escape for HTML (see <see cref="ReportPage"/>).
/// </summary>
internal sealed class ReportDataWriter(ReportSource source)
{
    public const int Format = 1;

    private readonly IndexTable<string> _texts = new(PositionCodec.MaxTexts);
    private readonly IndexTable<string> _instructions = new();
    private readonly IndexTable<string> _categories = new();
    private readonly IndexTable<Tag> _tags = new();
    /// <summary>Each token id's first non-empty text in an answer: the fallback text for candidates.</summary>
    private readonly Dictionary<int, int> _answerText = [];
    private readonly HashSet<int> _tokenIds = [];
    private readonly List<string> _warnings = [];
    private long _examples;
    private long _positions;

    public ReportCounts Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteNumber("format", Format);
        WriteEncoding(json);
        WriteRun(json);
        json.WriteStartArray("models");
        for (var i = 0; i < source.Models.Count; i++)
        {
            WriteModel(json, source.Models[i], source.Summaries[i]);
        }
        json.WriteEndArray();
        WriteStrings(json, "instructions", _instructions.Items);
        WriteStrings(json, "categories", _categories.Items);
        json.WriteStartArray("tags");
        foreach (var tag in _tags.Items)
        {
            json.WriteStartArray();
            json.WriteStringValue(tag.Kind);
            json.WriteStringValue(tag.Value);
            json.WriteEndArray();
        }
        json.WriteEndArray();
        WriteVocabulary(json);
        WriteStrings(json, "texts", _texts.Items);
        WriteStrings(json, "warnings", _warnings);
        json.WriteEndObject();
        json.Flush();
        return new ReportCounts(_examples, _positions, _warnings);
    }

    /// <summary>The constants report.js needs to unpack positions, so they are defined once, in <see cref="PositionCodec"/>.</summary>
    private static void WriteEncoding(Utf8JsonWriter json)
    {
        json.WriteStartObject("encoding");
        json.WriteString("alphabet", PositionCodec.Alphabet);
        json.WriteNumber("width", PositionCodec.Width);
        json.WriteNumber("top", PositionCodec.Top);
        json.WriteNumber("logprob_range", PositionCodec.LogProbRange);
        json.WriteNumber("logprob_steps", PositionCodec.LogProbSteps);
        json.WriteNumber("below", PositionCodec.Below);
        json.WriteNumber("absent", PositionCodec.Absent);
        json.WriteNumber("kl_min_log10", PositionCodec.KlMinLog10);
        json.WriteNumber("kl_max_log10", PositionCodec.KlMaxLog10);
        json.WriteNumber("kl_steps", PositionCodec.KlSteps);
        json.WriteNumber("kl_null", PositionCodec.KlNull);
        json.WriteNumber("rank_max", PositionCodec.Max);
        json.WriteEndObject();
    }

    private void WriteRun(Utf8JsonWriter json)
    {
        var run = source.Run;
        json.WriteStartObject("run");
        json.WriteString("directory", Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(source.Directory))));
        WriteOptionalString(json, "tool", run.Tool);
        WriteOptionalString(json, "version", run.Version);
        WriteOptionalString(json, "created", run.Created);
        WriteOptionalString(json, "seed", run.Seed);
        if (run.Base is { } baseModel)
        {
            json.WritePropertyName("base");
            WriteModelInfo(json, baseModel);
        }
        WritePairs(json, "options", run.Options);
        WritePairs(json, "timings", run.Timings);
        json.WriteEndObject();
    }

    private static void WriteModelInfo(Utf8JsonWriter json, ModelInfo model)
    {
        json.WriteStartObject();
        WriteOptionalString(json, "name", model.Name);
        WriteOptionalString(json, "reference", model.Reference);
        WriteOptionalString(json, "path", model.Path);
        WriteOptionalString(json, "sha256", model.Sha256);
        json.WriteEndObject();
    }

    private void WriteModel(Utf8JsonWriter json, AlignedModelFiles files, TdsSummary summary)
    {
        json.WriteStartObject();
        json.WriteString("name", files.Name);
        if (files.Info is { } info)
        {
            json.WritePropertyName("info");
            WriteModelInfo(json, info);
        }
        json.WritePropertyName("summary");
        SummaryJsonWriter.Write(json, summary);
        json.WriteStartObject("examples");
        json.WriteStartArray("positions");
        var columns = new ExampleColumns();
        foreach (var (example, line) in ReadExamples(files.PositionsPath, summary.KlTopKOnly))
        {
            json.WriteStringValue(Pack(example, files.PositionsPath, line));
            columns.Add(example.Id, example.Category is { } c ? _categories.Add(c) : -1, _instructions.Add(example.Instruction),
                [.. example.Tags.Select(_tags.Add)], example.Tokens);
            // The writer buffers until flushed: one example at a time keeps memory flat.
            json.Flush();
        }
        json.WriteEndArray();
        columns.Write(json);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private IEnumerable<(ExampleRecord Example, long Line)> ReadExamples(string path, bool klTopKOnly)
    {
        using var stream = File.OpenRead(path);
        var reader = new BoundedLineReader(stream, path, source.Limits.MaxLineBytes);
        while (reader.TryRead(out var line))
        {
            if (line.Bytes.Span.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }
            var example = ParseExample(line, path, klTopKOnly);
            if (example is null)
            {
                yield break;
            }
            _examples++;
            _positions += example.Tokens.Count;
            if (_examples > source.Limits.MaxExamples || _positions > source.Limits.MaxPositions)
            {
                throw DataFormatException.At(path, line.Number, string.Create(CultureInfo.InvariantCulture,
                    $"more than {source.Limits.MaxExamples} examples or {source.Limits.MaxPositions} answer positions in this run; one report cannot show them all"));
            }
            yield return (example, line.Number);
        }
    }

    /// <summary>The line's example; null for a last line torn by a writer that was stopped mid-line.</summary>
    private ExampleRecord? ParseExample(FileLine line, string path, bool klTopKOnly)
    {
        try
        {
            using var document = JsonDocuments.ParseLine(line.Bytes, path, line.Number);
            return ExampleParser.Parse(document.RootElement, PositionCodec.Top, klTopKOnly);
        }
        catch (DataFormatException) when (!line.Terminated)
        {
            _warnings.Add(DataFormatException.Where(path, line.Number) + ": incomplete last line left out (a run still writing, or one that was killed)");
            return null;
        }
        catch (JsonFieldException e)
        {
            throw e.At(path, line.Number);
        }
    }

    /// <summary>The example's positions, packed one after the other.</summary>
    private string Pack(ExampleRecord example, string path, long line)
    {
        var packed = new char[example.Tokens.Count * PositionCodec.Width];
        for (var i = 0; i < example.Tokens.Count; i++)
        {
            var token = example.Tokens[i];
            var text = AddText(token.Text, path, line);
            if (token.Text.Length > 0)
            {
                _answerText.TryAdd(token.Id, text);
            }
            _tokenIds.Add(token.Id);
            foreach (var candidate in token.AlignedTop)
            {
                _tokenIds.Add(candidate.Id);
            }
            foreach (var candidate in token.BaseTop)
            {
                _tokenIds.Add(candidate.Id);
            }
            PositionCodec.Encode(token, text, packed.AsSpan(i * PositionCodec.Width, PositionCodec.Width));
        }
        return new string(packed);
    }

    private int AddText(string text, string path, long? line)
    {
        var index = _texts.Add(text);
        return index >= 0 ? index : throw DataFormatException.At(path, line ?? 0, string.Create(CultureInfo.InvariantCulture,
            $"more than {PositionCodec.MaxTexts} distinct token texts; one report cannot index them"));
    }

    /// <summary>
    /// The text of every token id the page shows (answer tokens and candidates): decoded by the tokenizer
    /// when there is one, else the text the id had in an answer; ids with neither are shown by number.
    /// </summary>
    private void WriteVocabulary(Utf8JsonWriter json)
    {
        json.WriteString("candidate_texts", source.Tokenizer is null ? "answers" : "tokenizer");
        json.WriteStartObject("vocab");
        var known = _tokenIds.Order().Select(id => (Id: id, Text: CandidateText(id))).Where(t => t.Text >= 0).ToList();
        json.WriteStartArray("ids");
        known.ForEach(t => json.WriteNumberValue(t.Id));
        json.WriteEndArray();
        json.WriteStartArray("texts");
        known.ForEach(t => json.WriteNumberValue(t.Text));
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private int CandidateText(int id)
    {
        if (source.Tokenizer is { } tokenizer && id < tokenizer.VocabSize)
        {
            return AddText(tokenizer.DecodeToken(id), source.Directory, null);
        }
        return _answerText.GetValueOrDefault(id, -1);
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    private static void WritePairs(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<string, string>> pairs)
    {
        json.WriteStartArray(name);
        foreach (var (key, value) in pairs)
        {
            json.WriteStartArray();
            json.WriteStringValue(key);
            json.WriteStringValue(value);
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }

    private static void WriteOptionalString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}

namespace AlignLab.Engine.Formats.HuggingFace;

/// <summary>
/// The sampling defaults a checkpoint ships in <c>generation_config.json</c>. Every field is optional:
/// null means the file does not set it.
/// </summary>
public sealed record GenerationConfig
{
    public int? BosTokenId { get; init; }

    /// <summary>Ids that end generation; the file may give one or a list. Null when absent.</summary>
    public IReadOnlyList<int>? EosTokenIds { get; init; }

    public int? PadTokenId { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? TopK { get; init; }

    public bool? DoSample { get; init; }

    public double? RepetitionPenalty { get; init; }

    public int? MaxNewTokens { get; init; }

    public static GenerationConfig Read(string path)
    {
        using var doc = JsonFile.Load(path);
        var json = new JsonFields(doc.RootElement, path);
        return new GenerationConfig
        {
            BosTokenId = json.Int("bos_token_id"),
            EosTokenIds = json.IntOrIntList("eos_token_id"),
            PadTokenId = json.Int("pad_token_id"),
            Temperature = json.Double("temperature"),
            TopP = json.Double("top_p"),
            TopK = json.Int("top_k"),
            DoSample = json.Bool("do_sample"),
            RepetitionPenalty = json.Double("repetition_penalty"),
            MaxNewTokens = json.Int("max_new_tokens"),
        };
    }
}

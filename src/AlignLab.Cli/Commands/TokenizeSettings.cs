namespace AlignLab.Cli.Commands;

/// <summary>What <c>alignlab tokenize</c> was asked to do, validated.</summary>
internal sealed record TokenizeSettings(string Model, string? Text, string? CasesFile, bool AddBos, bool ParseSpecial)
{
    public static TokenizeSettings Create(string? model, string? text, string? casesFile, bool addBos, bool noSpecial)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new UsageException("tokenize: MODEL is required (a GGUF file or a folder with tokenizer.json)");
        }
        if ((text is null) == (casesFile is null))
        {
            throw new UsageException("tokenize: give exactly one of --text and --cases");
        }
        return new TokenizeSettings(model, text, casesFile, addBos, !noSpecial);
    }
}

namespace AlignLab.Engine.Tokenizers.Gguf;

/// <summary>One row of llama.cpp's pre-tokenizer table.</summary>
/// <param name="Regexes">Applied in order; each splits every piece into matches and the text between them.</param>
/// <param name="IgnoreMerges">A pre-token that is already a vocabulary entry is not merged further.</param>
/// <param name="AddBos">llama.cpp's default for add_bos_token (the GGUF key overrides it).</param>
/// <param name="NoBos">The vocabulary has no BOS token (ChatGLM).</param>
internal sealed record LlamaPreTokenizer(string[] Regexes, bool IgnoreMerges = false, bool AddBos = false, bool NoBos = false);

/// <summary>
/// tokenizer.ggml.pre → regexes, as a table, transcribed from llama.cpp's src/llama-vocab.cpp
/// (llm_tokenizer_bpe and the pre-type mapping in llama_vocab::impl::load). llama.cpp matches these
/// with its own splitters or std::regex on category-collapsed text; .NET regexes over code points
/// (<see cref="Regexes.CategoryRegex"/>) give the same splits. Pre-types that need llama.cpp-only
/// custom code (kimi-k2, superbpe, chameleon, afmoe, tiny_aya) are not in the table and fail to load.
/// </summary>
internal static class LlamaPreTokenizers
{
    /// <summary>llama.cpp runs this one with a hand-written splitter that also has GPT-2's final "\s+" branch.</summary>
    public const string Gpt2 = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private const string Contractions = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";

    public const string Llama3 = Contractions + @"|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public const string Qwen2 = Contractions + @"|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const string Poro = @" ?[^(\s|.,!?…。，、।۔،)]+";

    // llama.cpp's adaptation of the upper/lower-case letter classes (std::regex has no \p{Lu}).
    private const string CasedWords = @"[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+";
    private const string CasedWords2 = @"[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*";

    private const string Tekken = CasedWords + "|" + CasedWords2 + @"|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const string Gpt4o = CasedWords + Contractions + "?|" + CasedWords2 + Contractions + @"?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private static readonly LlamaPreTokenizer DefaultBpe = new([@"[\p{P}\$\+<=>\^~\|]+", Gpt2, @"\p{N}+", "[0-9][0-9][0-9]"]);
    private static readonly LlamaPreTokenizer Llama3Row = new([Llama3], IgnoreMerges: true, AddBos: true);
    private static readonly LlamaPreTokenizer Llama3Regex = new([Llama3]);
    private static readonly LlamaPreTokenizer Gpt2Row = new([Gpt2]);
    private static readonly LlamaPreTokenizer StarCoder = new([@"\p{N}", Gpt2]);
    private static readonly LlamaPreTokenizer Qwen2Row = new([Qwen2]);
    private static readonly LlamaPreTokenizer PoroRow = new([Poro]);
    private static readonly LlamaPreTokenizer Gpt4oRow = new([Gpt4o]);

    /// <summary>
    /// The astral ranges of deepseek-llm's letter class (𐐀-𐑏, 𐒰-𐓓, ...) cannot be written in a .NET
    /// class; astral letters reach the regex as stand-ins (Ａ/ａ/ꔀ), which this class contains.
    /// </summary>
    private static readonly LlamaPreTokenizer DeepSeekLlm = new([
        "[\r\n]",
        @"\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-ώᾀ-ᾴᾶ-ᾼιῂ-ῄῆ-ῌῐ-ΐῖ-Ίῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤΩℨK-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ]+",
        @"\s?[!-/:-~！-／：-～‘-‟　-。]+",
        @"\s+$",
        "[一-龥ࠀ-一가-퟿]+",
        @"\p{N}+",
    ]);

    private static readonly Dictionary<string, LlamaPreTokenizer> Table = new(StringComparer.Ordinal)
    {
        ["default"] = DefaultBpe,
        ["llama3"] = Llama3Row,
        ["llama-v3"] = Llama3Row,
        ["llama-bpe"] = Llama3Row,
        ["falcon3"] = Llama3Row,
        ["falcon-h1"] = Llama3Row,
        ["pixtral"] = Llama3Row,
        ["midm-2.0"] = Llama3Row,
        ["lfm2"] = Llama3Row,
        ["dbrx"] = Llama3Regex,
        ["smaug-bpe"] = Llama3Regex,
        ["deepseek-llm"] = DeepSeekLlm,
        ["deepseek-coder"] = new(["[\r\n]", @"\s?\p{L}+", @"\s?\p{P}+", "[一-龥ࠀ-一가-퟿]+", @"\p{N}"]),
        ["deepseek-v3"] = new([@"\p{N}{1,3}", "[一-龥぀-ゟ゠-ヿ]+",
            @"[!""#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"]),
        ["falcon"] = new([@"[\p{P}\$\+<=>\^~\|`]+", Gpt2, "[0-9][0-9][0-9]"]),
        ["starcoder"] = StarCoder,
        ["refact"] = StarCoder,
        ["command-r"] = StarCoder,
        ["smollm"] = StarCoder,
        ["codeshell"] = StarCoder,
        ["exaone"] = StarCoder,
        ["minerva-7b"] = StarCoder,
        ["gpt-2"] = Gpt2Row,
        ["phi-2"] = Gpt2Row,
        ["jina-es"] = Gpt2Row,
        ["jina-de"] = Gpt2Row,
        ["jina-v2-es"] = Gpt2Row,
        ["jina-v2-de"] = Gpt2Row,
        ["gigachat"] = Gpt2Row,
        ["a.x-4.0"] = Gpt2Row,
        ["mellum"] = Gpt2Row,
        ["exaone4"] = Gpt2Row,
        ["mpt"] = Gpt2Row,
        ["olmo"] = Gpt2Row,
        ["jais"] = Gpt2Row,
        ["trillion"] = Gpt2Row,
        ["granite-docling"] = Gpt2Row,
        ["stablelm2"] = Qwen2Row,
        ["qwen2"] = Qwen2Row,
        ["deepseek-r1-qwen"] = Qwen2Row,
        ["megrez"] = Qwen2Row,
        ["hunyuan"] = Qwen2Row,
        ["solar-open"] = Qwen2Row,
        ["grok-2"] = Qwen2Row,
        ["poro-chat"] = PoroRow,
        ["bloom"] = PoroRow,
        ["gpt3-finnish"] = PoroRow,
        ["viking"] = new([Poro, @"\p{N}"]),
        ["chatglm-bpe"] = new([Llama3], NoBos: true),
        ["glm4"] = new([Llama3], NoBos: true),
        ["tekken"] = new([Tekken], IgnoreMerges: true, AddBos: true),
        ["gpt-4o"] = Gpt4oRow,
        ["llama4"] = Gpt4oRow,
        ["minimax-m2"] = Gpt4oRow,
        ["jais-2"] = new([Contractions + @"|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s{512}(?!\S)|\s{256}(?!\S)|\s{128}(?!\S)|\s{64}(?!\S)|\s{32}(?!\S)|\s{16}(?!\S)|\s{8}(?!\S)|\s{4}(?!\S)|\s{1,2}(?!\S)|\s{1}"]),
        ["bailingmoe"] = new([@"'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+"]),
        ["seed-coder"] = new([Contractions + @"|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1}| ?[^\s\p{L}\p{N}\r\n]+|\s*[\r\n]+|\s+(?!\S)|\s+"]),
    };

    public static IEnumerable<string> Names => Table.Keys;

    /// <summary>The row for a pre-type; a vocabulary without tokenizer.ggml.pre gets llama.cpp's "default".</summary>
    public static bool TryGet(string? pre, out LlamaPreTokenizer row) => Table.TryGetValue(pre ?? "default", out row!);
}

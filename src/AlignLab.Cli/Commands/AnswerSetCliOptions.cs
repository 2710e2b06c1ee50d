using System.CommandLine;
using AlignLab.Engine.Generation;

namespace AlignLab.Cli.Commands;

/// <summary>
/// The options <c>alignlab urial</c>, <c>alignlab generate-set</c> and <c>alignlab pluralism sample</c> share, defined
/// once; a command may change the defaults of the generation settings.
/// </summary>
internal sealed class AnswerSetCliOptions
{
    public AnswerSetCliOptions(int maxNewTokens = 512, double temperature = 0, double repetitionPenalty = 1)
    {
        _maxNewTokens.DefaultValueFactory = _ => maxNewTokens;
        _temperature.DefaultValueFactory = _ => temperature;
        _repetitionPenalty.DefaultValueFactory = _ => repetitionPenalty;
    }

    private readonly Option<string> _model = new("--model") { HelpName = "MODEL", Description = "A GGUF file, a Hugging Face model folder with weights, a hub id in the local cache, or a served model http(s)://HOST:PORT/v1#NAME." };
    private readonly Option<string?> _tokenizer = new("--tokenizer") { HelpName = "MODEL", Description = "For a served --model: a local model (GGUF file, folder or cached hub id; weights not needed) whose tokenizer and chat template are used instead of the server's." };
    private readonly Option<int?> _concurrency = new("--concurrency") { HelpName = "N", Description = "For a served --model: most instructions answered (requests in flight) at once (default 4); answers and their order do not depend on it." };
    private readonly Option<string> _data = new("--data") { HelpName = "FILE", Description = "Instructions: a JSON array or JSON Lines of Just-Eval records ({\"id\", \"instruction\", \"category\", ...}) or {\"instruction\": ...} records (id = 0-based position)." };
    private readonly Option<string> _out = new("--out") { HelpName = "FILE.jsonl", Description = "Answers, one Just-Eval line per instruction ({\"id\", \"instruction\", \"category\", \"output\", \"generator\"}); FILE.run.json goes beside it. An interrupted run resumes where it stopped." };
    private readonly Option<int> _maxNewTokens = new("--max-new-tokens") { HelpName = "N", Description = "Most tokens per answer; an instruction whose prompt leaves less room in the context is skipped and reported." };
    private readonly Option<double> _temperature = new("--temperature") { HelpName = "T", Description = "0 is greedy; otherwise sample from softmax(logits / T)." };
    private readonly Option<double> _topP = new("--top-p") { HelpName = "P", DefaultValueFactory = _ => 1, Description = "Nucleus sampling: the most likely tokens until their mass reaches P (1: off)." };
    private readonly Option<double> _repetitionPenalty = new("--repetition-penalty") { HelpName = "R", Description = "Divide positive, multiply negative logits of tokens already in the sequence, prompt included (1 is off)." };
    private readonly Option<ulong> _seed = new("--seed") { HelpName = "S", Description = "Seed of the draws (default 0); each instruction's draws depend only on it and the instruction's position in the data." };
    private readonly Option<int?> _threads = new("--threads") { HelpName = "N", Description = "Most threads the forward pass uses (default: all cores)." };
    private readonly Option<int?> _limit = new("--limit") { HelpName = "N", Description = "Answer at most the first N instructions (of the shard)." };
    private readonly Option<string?> _shard = new("--shard") { HelpName = "I/N", Description = "Answer only shard I of N: the instructions whose 0-based position p has p mod N = I - 1." };
    private readonly Option<bool> _skipBad = new("--skip-bad") { Description = "Skip malformed instruction records (each reported on stderr) instead of stopping at the first." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _model, _tokenizer, _concurrency, _data, _out, _maxNewTokens, _temperature, _topP, _repetitionPenalty, _seed, _threads, _limit, _shard, _skipBad })
        {
            command.Options.Add(option);
        }
    }

    public AnswerSetSettings Read(ParseResult parse, string command, int samples)
    {
        var sampling = new SamplingOptions
        {
            Temperature = parse.GetValue(_temperature),
            TopP = parse.GetValue(_topP),
            RepetitionPenalty = parse.GetValue(_repetitionPenalty),
        };
        return AnswerSetSettings.Create(command, parse.GetValue(_model), parse.GetValue(_data), parse.GetValue(_out), parse.GetValue(_maxNewTokens), sampling,
            samples, parse.GetValue(_seed), parse.GetValue(_threads), parse.GetValue(_limit), parse.GetValue(_shard), parse.GetValue(_skipBad))
            .ForServedModel(parse.GetValue(_tokenizer), parse.GetValue(_concurrency));
    }
}

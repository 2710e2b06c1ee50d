using System.CommandLine;
using AlignLab.Tds;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab tds --base MODEL --aligned MODEL [--aligned MODEL ...] --data FILE --out DIR [options]</c>: token
/// distribution shift between a base model and its aligned counterparts (see <see cref="TdsPipeline"/>), and
/// <c>alignlab tds merge DIR... --out DIR</c>. The results' paths go to stdout; progress to stderr.
/// </summary>
internal static class TdsCommand
{
    public static Command Build(CliContext context)
    {
        var baseModel = new Option<string?>("--base") { HelpName = "MODEL", Description = "The base model (GGUF file, model folder or cached hub id)." };
        var aligned = new Option<string[]>("--aligned") { HelpName = "MODEL", Description = "An aligned model sharing the base's vocabulary; repeat to compare several (each gets DIR/<name>/)." };
        var data = new Option<string?>("--data") { HelpName = "FILE", Description = "Instructions: a JSON array or JSON Lines, Just-Eval records (id, instruction, category, ..., output) or {\"instruction\": ...}." };
        var output = new Option<string?>("--out") { HelpName = "DIR", Description = "The run folder: positions.jsonl, summary.json, positions.csv, examples.csv, run.json. Rerun the same command to resume." };
        var tags = new Option<string?>("--tags") { HelpName = "FILE", Description = "Tags by id (task_types, topics, difficulty), shaped like Just-Eval's tags_list.json." };
        var system = new Option<string?>("--system") { HelpName = "TEXT", Description = "A system message for the aligned chat prompt." };
        var chatTemplate = new Option<string?>("--chat-template") { HelpName = "FILE", Description = "A Jinja chat template used instead of the aligned model's." };
        var baseTokenizer = new Option<string?>("--base-tokenizer") { HelpName = "MODEL", Description = "For a served base (http(s)://HOST:PORT/v1#NAME): a local model whose tokenizer is used instead of the server's." };
        var alignedTokenizer = new Option<string?>("--aligned-tokenizer") { HelpName = "MODEL", Description = "For served aligned models: a local model whose tokenizer is used instead of the servers'." };
        var concurrency = new Option<int?>("--concurrency") { HelpName = "N", Description = "With the base and every aligned model served: most examples analysed (requests in flight to each server) at once (default 4). Results and their order do not depend on it." };
        var maxNewTokens = new Option<int>("--max-new-tokens") { HelpName = "N", DefaultValueFactory = _ => 512, Description = "Most answer tokens generated (an end-of-turn token counted)." };
        var topK = new Option<int>("--top-k") { HelpName = "K", DefaultValueFactory = _ => 10, Description = "Candidates kept per position for each model (and for Jaccard@k, weighted overlap, top-k KL)." };
        var marginalMax = new Option<int>("--marginal-max") { HelpName = "R", DefaultValueFactory = _ => 3, Description = "Base ranks 2..R are 'marginal'; beyond is 'shifted'; rank 1 'unshifted'." };
        var useOutputs = new Option<bool>("--use-outputs") { Description = "Teacher-force each record's output instead of generating an answer." };
        var basePrompt = new Option<string>("--base-prompt") { HelpName = "plain|chat|zero|NAME|PATH", DefaultValueFactory = _ => "plain", Description = "What the base model reads before the answer: the bare instruction, the aligned chat prompt, or a URIAL prompt (zero: the query/answer frame alone; a built-in name or a prompt file)." };
        var skipBad = new Option<bool>("--skip-bad") { Description = "Skip malformed data records with a warning instead of stopping." };
        var shard = new Option<string?>("--shard") { HelpName = "I/N", Description = "Run the I-th of N disjoint slices (records whose index mod N is I-1); join them with 'tds merge'." };
        var limit = new Option<int?>("--limit") { HelpName = "N", Description = "At most N examples (of the shard)." };
        var seed = new Option<ulong>("--seed") { HelpName = "S", Description = "Seed of the bootstrap confidence intervals (default 0)." };
        var threads = new Option<int?>("--threads") { HelpName = "N", Description = "Most threads a forward pass uses (default: all cores)." };
        var command = new Command("tds", "Token distribution shift: where an aligned model's greedy answer departs from what its base model would say, position by position.")
        {
            baseModel, aligned, data, output, tags, system, chatTemplate, baseTokenizer, alignedTokenizer, concurrency, maxNewTokens, topK, marginalMax, useOutputs, basePrompt, skipBad, shard, limit, seed, threads,
        };
        command.Subcommands.Add(BuildMerge(context));
        command.SetAction((parse, cancel) =>
        {
            var options = TdsSettings.Create(parse.GetValue(baseModel), parse.GetValue(aligned) ?? [], parse.GetValue(data), parse.GetValue(output),
                parse.GetValue(tags), parse.GetValue(system), parse.GetValue(chatTemplate), parse.GetValue(maxNewTokens), parse.GetValue(topK),
                parse.GetValue(marginalMax), parse.GetValue(useOutputs), parse.GetValue(basePrompt)!, parse.GetValue(skipBad), parse.GetValue(shard),
                parse.GetValue(limit), parse.GetValue(seed), parse.GetValue(threads))
                with { BaseTokenizer = parse.GetValue(baseTokenizer), AlignedTokenizer = parse.GetValue(alignedTokenizer) };
            options = TdsSettings.WithConcurrency(options, parse.GetValue(concurrency));
            TdsProgress.Run(context.Err, progress => new TdsPipeline().Run(options, progress, RunReport.Writer(context), cancel));
            context.Out.WriteLine(Path.GetFullPath(options.Out));
            return Task.FromResult(CliApp.ExitOk);
        });
        return command;
    }

    private static Command BuildMerge(CliContext context)
    {
        var inputs = new Argument<string[]>("DIR") { Arity = ArgumentArity.OneOrMore, Description = "Run folders of the same job (shards)." };
        var output = new Option<string?>("--out") { HelpName = "DIR", Description = "The merged run folder." };
        var command = new Command("merge", "Merge tds run folders (shards) into one and recompute the summary and tables.") { inputs, output };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(output);
            if (string.IsNullOrWhiteSpace(folder))
            {
                throw new UsageException("tds merge: --out DIR is required");
            }
            TdsMerge.Run(parse.GetValue(inputs) ?? [], folder, RunReport.Writer(context));
            context.Out.WriteLine(Path.GetFullPath(folder));
            return CliApp.ExitOk;
        });
        return command;
    }
}

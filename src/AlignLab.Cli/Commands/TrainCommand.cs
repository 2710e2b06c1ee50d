using System.CommandLine;
using System.Globalization;
using AlignLab.Training;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab train --corpus FILE --out DIR [model and schedule options]</c>: trains a byte-level BPE
/// tokenizer and a Llama base model on the corpus, resumably, and exports it; prints the model folder.
/// </summary>
internal static class TrainCommand
{
    public static Command Build(CliContext context)
    {
        var defaults = new PretrainSettings();
        var corpus = new Option<string>("--corpus") { Required = true, HelpName = "FILE", Description = "Training text: JSON Lines of {\"text\": ...} (a .jsonl file), or plain text with documents separated by blank lines." };
        var output = new Option<string>("--out") { Required = true, HelpName = "DIR", Description = "Where the run and the model go: a new or empty folder, or the folder of the same run to continue it." };
        var vocab = Int("--vocab-size", "N", defaults.VocabSize, "Tokenizer vocabulary size (special tokens and 256 bytes included).");
        var layers = Int("--layers", "L", defaults.Layers, "Decoder layers.");
        var dim = Int("--dim", "D", defaults.Dim, "Hidden width.");
        var heads = Int("--heads", "H", defaults.Heads, "Attention heads (dim / heads must be even).");
        var kvHeads = Int("--kv-heads", "K", defaults.KvHeads, "Key/value heads (grouped-query attention; must divide --heads).");
        var ffn = Int("--ffn", "F", defaults.Ffn, "Feed-forward width.");
        var contextLength = Int("--context", "C", defaults.Context, "Context length, and the length of every packed training row.");
        var steps = Int("--steps", "S", defaults.Steps, "Optimizer steps.");
        var batch = Int("--batch", "B", defaults.Batch, "Rows of --context tokens per step.");
        var lr = new Option<float>("--lr") { HelpName = "LR", DefaultValueFactory = _ => defaults.LearningRate, Description = "Peak learning rate (AdamW; 5% linear warm-up, then cosine decay to a tenth)." };
        var seed = new Option<ulong>("--seed") { HelpName = "S", Description = "Seed of the initial weights and the data order (default 0)." };
        var threads = new Option<int?>("--threads") { HelpName = "N", Description = "Threads (default: all cores). The same seed and thread count give the same model bit for bit; a resumed run keeps its thread count." };
        var command = new Command("train", "Pretrain a small Llama model from text: a byte-level BPE tokenizer, then the model, exported as a Hugging Face folder (DIR itself) and GGUF (DIR/model-f32.gguf, DIR/model-f16.gguf), with the loss curve in DIR/loss.csv and DIR/loss.svg. Interrupted, it continues from its last checkpoint when run again with the same options. Prints DIR.")
        {
            corpus, output, vocab, layers, dim, heads, kvHeads, ffn, contextLength, steps, batch, lr, seed, threads,
        };
        command.SetAction((parse, cancel) =>
        {
            var pretrain = new PretrainSettings
            {
                VocabSize = parse.GetValue(vocab),
                Layers = parse.GetValue(layers),
                Dim = parse.GetValue(dim),
                Heads = parse.GetValue(heads),
                KvHeads = parse.GetValue(kvHeads),
                Ffn = parse.GetValue(ffn),
                Context = parse.GetValue(contextLength),
                Steps = parse.GetValue(steps),
                Batch = parse.GetValue(batch),
                LearningRate = parse.GetValue(lr),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads) ?? defaults.Threads,
            };
            return Task.FromResult(Run(context, TrainSettings.Create(parse.GetValue(corpus), parse.GetValue(output), pretrain), cancel));
        });
        return command;
    }

    internal static Option<int> Int(string name, string help, int defaultValue, string description)
        => new(name) { HelpName = help, DefaultValueFactory = _ => defaultValue, Description = description };

    private static int Run(CliContext context, TrainSettings settings, CancellationToken cancel)
    {
        var documents = CorpusReader.Read(settings.Corpus);
        var outcome = TrainingProgressView.Run(context.Err, "train", progress => PretrainJob.Run(documents, settings.Pretrain, settings.Out, progress, cancel: cancel));
        Report(context, "train", outcome);
        return CliApp.ExitOk;
    }

    /// <summary>The summary on stderr and the model folder alone on stdout.</summary>
    internal static void Report(CliContext context, string command, TrainingOutcome outcome)
    {
        var f = outcome.Folder;
        context.Err.WriteLine(outcome.FinalLoss is { } loss
            ? string.Create(CultureInfo.InvariantCulture, $"{command}: done, {outcome.Steps} steps, last loss {loss:0.0000}; GGUF: {f.GgufF32}, {f.GgufF16}; loss curve: {f.LossSvg}")
            : $"{command}: {f.Output} already holds the finished model");
        context.Out.WriteLine(f.Output);
    }
}

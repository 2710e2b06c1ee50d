using System.CommandLine;
using AlignLab.Training;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab finetune --model DIR --data FILE.jsonl --out DIR [--steps S] [--batch B] [--lr LR] [--seed S]</c>:
/// supervised fine-tuning on instruction/output pairs in the model's chat format, loss on the answers only.
/// </summary>
internal static class FinetuneCommand
{
    public static Command Build(CliContext context)
    {
        var defaults = new FinetuneSettings();
        var model = new Option<string>("--model") { Required = true, HelpName = "DIR", Description = "The model to fine-tune: a folder written by alignlab train (or its GGUF file)." };
        var data = new Option<string>("--data") { Required = true, HelpName = "FILE.jsonl", Description = "JSON Lines of {\"instruction\": ..., \"output\": ...}; other fields are ignored." };
        var output = new Option<string>("--out") { Required = true, HelpName = "DIR", Description = "Where the run and the fine-tuned model go: a new or empty folder, or the folder of the same run to continue it." };
        var steps = TrainCommand.Int("--steps", "S", defaults.Steps, "Optimizer steps.");
        var batch = TrainCommand.Int("--batch", "B", defaults.Batch, "Rows of the model's context length per step.");
        var lr = new Option<float>("--lr") { HelpName = "LR", DefaultValueFactory = _ => defaults.LearningRate, Description = "Peak learning rate (AdamW; 5% linear warm-up, then cosine decay to a tenth)." };
        var seed = new Option<ulong>("--seed") { HelpName = "S", Description = "Seed of the data order (default 0)." };
        var threads = new Option<int?>("--threads") { HelpName = "N", Description = "Threads (default: all cores); a resumed run keeps its thread count." };
        var command = new Command("finetune", "Fine-tune a model on instruction/output pairs rendered with its chat template (loss on the answer and its end-of-turn token only), exported like alignlab train's output with <|im_end|> as the end of generation. Interrupted, it continues from its last checkpoint when run again with the same options. Prints DIR.")
        {
            model, data, output, steps, batch, lr, seed, threads,
        };
        command.SetAction((parse, cancel) =>
        {
            var finetune = new FinetuneSettings
            {
                Steps = parse.GetValue(steps),
                Batch = parse.GetValue(batch),
                LearningRate = parse.GetValue(lr),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads) ?? defaults.Threads,
            };
            var settings = FinetuneCommandSettings.Create(parse.GetValue(model), parse.GetValue(data), parse.GetValue(output), finetune);
            return Task.FromResult(Run(context, settings, cancel));
        });
        return command;
    }

    private static int Run(CliContext context, FinetuneCommandSettings settings, CancellationToken cancel)
    {
        var pairs = InstructionPairReader.Read(settings.Data);
        var outcome = TrainingProgressView.Run(context.Err, "finetune",
            progress => FinetuneJob.Run(settings.Model, pairs, settings.Finetune, settings.Out, progress, cancel: cancel));
        TrainCommand.Report(context, "finetune", outcome);
        return CliApp.ExitOk;
    }
}

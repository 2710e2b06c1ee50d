using System.CommandLine;
using System.Text.Json.Nodes;
using AlignLab.Backends;
using AlignLab.Urial;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab urial --model MODEL --data FILE --out FILE.jsonl [--prompt NAME|PATH] [--samples N] [options]</c>:
/// a base model answers every instruction in context with a URIAL prompt; <c>alignlab urial prompts</c> lists
/// the prompts.
/// </summary>
internal static class UrialCommand
{
    public static Command Build(CliContext context)
    {
        var shared = new AnswerSetCliOptions();
        var prompt = new Option<string>("--prompt") { HelpName = "NAME|PATH", DefaultValueFactory = _ => UrialPrompts.DefaultName, Description = "A built-in prompt (zero, preamble, stylistic) or a URIAL prompt file; a value naming an existing file is a path." };
        var samples = new Option<int>("--samples") { HelpName = "N", DefaultValueFactory = _ => 1, Description = "Sample N answers per instruction (needs --temperature > 0), drop those that end truncated or repeat a 6-word run more than twice, keep one drawn by seed; all go to FILE.samples.jsonl." };
        var command = new Command("urial", "URIAL: align a base model in context with a preamble and a few stylistic examples, and answer every instruction of a data set (Just-Eval JSONL, resumable). The answer ends at the next '# Query' / '# User', the answer block's closing fence, or the end of the text; fences are removed and the text trimmed.");
        shared.AddTo(command);
        command.Options.Add(prompt);
        command.Options.Add(samples);
        command.Subcommands.Add(UrialPromptsCommand.Build(context));
        command.SetAction((parse, cancel) =>
        {
            var settings = shared.Read(parse, "urial", parse.GetValue(samples));
            var urialPrompt = UrialPromptArgument.Resolve(parse.GetValue(prompt)!, "urial");
            var sources = new JsonObject { ["prompt_source"] = urialPrompt.IsBuiltIn ? urialPrompt.Source : Path.GetFullPath(urialPrompt.Source) };
            return Task.FromResult(AnswerSetRunner.Run(context, settings, new UrialAnswerFormat(urialPrompt), sources, new LocalModelOptions(), checkModel: null, cancel));
        });
        return command;
    }
}

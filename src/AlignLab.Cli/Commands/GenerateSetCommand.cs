using System.CommandLine;
using System.Text.Json.Nodes;
using AlignLab.AnswerSets;
using AlignLab.Backends;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab generate-set --model MODEL --data FILE --out FILE.jsonl [--system TEXT] [--chat-template FILE] [options]</c>:
/// an aligned model answers every instruction through its chat template, in the same format as <c>urial</c>.
/// </summary>
internal static class GenerateSetCommand
{
    public static Command Build(CliContext context)
    {
        var shared = new AnswerSetCliOptions();
        var system = new Option<string?>("--system") { HelpName = "TEXT", Description = "A system message before each instruction." };
        var template = new Option<string?>("--chat-template") { HelpName = "FILE", Description = "A Jinja chat template to use instead of the model's own." };
        var command = new Command("generate-set", "Answer every instruction of a data set with an aligned model through its chat template: Just-Eval JSONL, resumable, the same run as 'urial'.");
        shared.AddTo(command);
        command.Options.Add(system);
        command.Options.Add(template);
        command.SetAction((parse, cancel) =>
        {
            var settings = shared.Read(parse, "generate-set", samples: 1);
            var templatePath = parse.GetValue(template);
            var format = new ChatAnswerFormat(parse.GetValue(system), templatePath);
            var sources = new JsonObject { ["chat_template"] = templatePath is null ? null : Path.GetFullPath(templatePath) };
            // Rendering one chat fails at once, before anything is written, for a model without a chat template.
            return Task.FromResult(AnswerSetRunner.Run(context, settings, format, sources, new LocalModelOptions { ChatTemplatePath = templatePath },
                checkModel: model => model.RenderChat("", parse.GetValue(system)), cancel));
        });
        return command;
    }
}

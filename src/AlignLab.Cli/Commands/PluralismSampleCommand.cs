using System.CommandLine;
using System.Text.Json.Nodes;
using AlignLab.AnswerSets;
using AlignLab.Backends;
using AlignLab.Urial;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab pluralism sample --model MODEL --data FILE --out FILE.jsonl [--samples 5] [--prompt NAME|PATH|chat] [--icl VARIANT ...] [options]</c>:
/// N samples per instruction, through the model's chat template (<c>--prompt chat</c>) or a URIAL prompt, every
/// answer line carrying all of them; a base model's in-context variants with <c>--icl</c> (<see cref="InContextCliOptions"/>). The same
/// resumable run as <c>urial</c> and <c>generate-set</c>.
/// </summary>
internal static class PluralismSampleCommand
{
    /// <summary>The <c>--prompt</c> value that selects the model's own chat template.</summary>
    public const string ChatPrompt = "chat";

    private const string Name = "pluralism sample";

    public static Command Build(CliContext context)
    {
        var shared = new AnswerSetCliOptions(maxNewTokens: 700, temperature: 0.5, repetitionPenalty: 1.1);
        var prompt = new Option<string>("--prompt") { HelpName = "NAME|PATH|chat", DefaultValueFactory = _ => UrialPrompts.DefaultName, Description = "'chat' for the model's own chat template (an aligned model), or a URIAL prompt for a base model: a built-in name (zero, preamble, stylistic) or a prompt file." };
        var samples = new Option<int>("--samples") { HelpName = "N", DefaultValueFactory = _ => 5, Description = "Samples per instruction; each answer line keeps them all in \"samples\" (and one drawn as \"output\", as 'urial' keeps it)." };
        var inContext = new InContextCliOptions();
        var command = new Command("sample", "Sample N answers per instruction from any model and prompt style, for the diversity measures (JSONL, resumable).");
        shared.AddTo(command);
        command.Options.Add(prompt);
        command.Options.Add(samples);
        inContext.AddTo(command);
        command.SetAction((parse, cancel) =>
        {
            var settings = shared.Read(parse, Name, parse.GetValue(samples)) with { SamplesInAnswers = true };
            var promptValue = parse.GetValue(prompt)!;
            var icl = inContext.Read(parse, Name, chatPrompt: promptValue == ChatPrompt);
            if (promptValue == ChatPrompt)
            {
                return Task.FromResult(AnswerSetRunner.Run(context, settings, new ChatAnswerFormat(system: null, chatTemplatePath: null), [], new LocalModelOptions(),
                    checkModel: model => model.RenderChat("", system: null), cancel));
            }
            var urialPrompt = UrialPromptArgument.Resolve(promptValue, Name);
            var sources = new JsonObject
            {
                ["prompt_source"] = urialPrompt.IsBuiltIn ? urialPrompt.Source : Path.GetFullPath(urialPrompt.Source),
                ["icl"] = icl.Variant.Name,
            };
            if (!icl.IsPlain)
            {
                return Task.FromResult(InContextRunner.Run(context, settings, urialPrompt, icl, sources, cancel));
            }
            return Task.FromResult(AnswerSetRunner.Run(context, settings, new UrialAnswerFormat(urialPrompt), sources, new LocalModelOptions(), checkModel: null, cancel));
        });
        return command;
    }
}

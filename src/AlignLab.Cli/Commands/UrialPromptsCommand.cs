using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tokenizers;
using AlignLab.Urial;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab urial prompts [PROMPT]... [--model MODEL] [--json]</c>: the built-in prompts and any prompts
/// named, with their example counts and sizes, and with --model their token counts under that tokenizer.
/// </summary>
internal static class UrialPromptsCommand
{
    public static Command Build(CliContext context)
    {
        var prompts = new Argument<string[]>("PROMPT") { Arity = ArgumentArity.ZeroOrMore, Description = "Prompt files (or built-in names) to list after the built-in prompts." };
        var model = new Option<string?>("--model") { HelpName = "MODEL", Description = "Count tokens with this model's tokenizer (a GGUF file, vocab-only is enough, or a model folder), as a run tokenizes the prompt: BOS included when the model adds one." };
        var json = new Option<bool>("--json") { Description = "Print one JSON array (one line): [{\"name\", \"source\", \"examples\", \"characters\", \"tokens\" (null without --model), \"sha256\"}]." };
        var command = new Command("prompts", "List the URIAL prompts: the built-in ones (zero, preamble, stylistic) and any files given, with example and token counts.")
        {
            prompts, model, json,
        };
        command.SetAction(parse => Run(context, parse.GetValue(prompts) ?? [], parse.GetValue(model), parse.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, string[] named, string? modelReference, bool json)
    {
        // Prompts are read first: a bad prompt file is reported before the (slower) tokenizer load.
        var prompts = UrialPrompts.BuiltInNames.Select(UrialPrompts.BuiltIn).Concat(named.Select(p => UrialPromptArgument.Resolve(p, "urial prompts"))).ToList();
        var tokenizer = modelReference is null ? null : LoadTokenizer(modelReference);
        var rows = prompts.Select(p => new Row(p, tokenizer is null ? null : Prompts.Plain(tokenizer, p.Text).Length)).ToList();
        context.Out.WriteLine(json ? ToJson(rows) : ToText(rows));
        return CliApp.ExitOk;
    }

    private static Tokenizer LoadTokenizer(string reference)
    {
        using var model = LocalModel.Open(reference);
        return model.LoadTokenizer();
    }

    private static string ToJson(List<Row> rows) => JsonSerializer.Serialize(rows.Select(r => new Dictionary<string, object?>
    {
        ["name"] = r.Prompt.Name,
        ["source"] = r.Prompt.Source,
        ["examples"] = r.Prompt.Examples.Count,
        ["characters"] = r.Prompt.Text.Length,
        ["tokens"] = r.Tokens,
        ["sha256"] = r.Prompt.Sha256,
    }));

    private static string ToText(List<Row> rows)
    {
        string[] header = ["NAME", "EXAMPLES", "CHARACTERS", "TOKENS", "SOURCE"];
        var cells = rows.Select(r => new[]
        {
            ErrorLine.EscapeControl(r.Prompt.Name),
            r.Prompt.Examples.Count.ToString(CultureInfo.InvariantCulture),
            r.Prompt.Text.Length.ToString(CultureInfo.InvariantCulture),
            r.Tokens?.ToString(CultureInfo.InvariantCulture) ?? "-",
            ErrorLine.EscapeControl(r.Prompt.Source),
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(c => cells.Max(row => row[c].Length)).ToArray();
        // Names left-aligned, counts right-aligned, the source last and unpadded.
        return string.Join('\n', cells.Select(row => string.Join("  ",
            row[0].PadRight(widths[0]), row[1].PadLeft(widths[1]), row[2].PadLeft(widths[2]), row[3].PadLeft(widths[3]), row[4])));
    }

    private sealed record Row(UrialPrompt Prompt, int? Tokens);
}

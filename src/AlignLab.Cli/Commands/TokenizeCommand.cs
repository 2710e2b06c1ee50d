using System.CommandLine;
using System.Text.Json;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab tokenize MODEL --text TEXT [--add-bos] [--no-special]</c> prints the ids as one JSON
/// array; <c>--cases CASES.json</c> (a JSON array of strings) prints one JSON array of id arrays.
/// Special tokens are parsed and no BOS is added unless asked.
/// </summary>
internal static class TokenizeCommand
{
    public static Command Build(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "A GGUF file (vocab-only is enough), a model folder or a folder holding only tokenizer files, or a hub id in the local cache." };
        var text = new Option<string?>("--text") { Description = "The text to tokenize." };
        var cases = new Option<string?>("--cases") { Description = "A JSON file holding an array of strings to tokenize." };
        var addBos = new Option<bool>("--add-bos") { Description = "Put the BOS token first." };
        var noSpecial = new Option<bool>("--no-special") { Description = "Tokenize special-token markers such as <|im_start|> as plain text." };
        var command = new Command("tokenize", "Print the token ids of a text (or of each text of a JSON file) as JSON.");
        command.Arguments.Add(model);
        command.Options.Add(text);
        command.Options.Add(cases);
        command.Options.Add(addBos);
        command.Options.Add(noSpecial);
        command.SetAction(parse =>
        {
            var settings = TokenizeSettings.Create(parse.GetValue(model), parse.GetValue(text), parse.GetValue(cases), parse.GetValue(addBos), parse.GetValue(noSpecial));
            return Run(settings, context);
        });
        return command;
    }

    private static int Run(TokenizeSettings settings, CliContext context)
    {
        // Read the cases first: a bad cases file is reported before the (slower) model load.
        var texts = settings.CasesFile is null ? null : ReadCases(settings.CasesFile);
        Tokenizer tokenizer;
        using (var model = LocalModel.Open(settings.Model))
        {
            tokenizer = model.LoadTokenizer();
        }
        var options = EncodeOptions.Default with { AddBos = settings.AddBos, ParseSpecial = settings.ParseSpecial };
        if (texts is null)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(tokenizer.Encode(settings.Text!, options)));
            return CliApp.ExitOk;
        }
        var all = new List<IReadOnlyList<int>>(texts.Count);
        foreach (var t in texts)
        {
            all.Add(tokenizer.Encode(t, options));
        }
        context.Out.WriteLine(JsonSerializer.Serialize(all));
        return CliApp.ExitOk;
    }

    private static List<string> ReadCases(string path)
    {
        using var doc = JsonFile.Load(path);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path}: expected a JSON array of strings, found {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}");
        }
        var texts = new List<string>();
        var i = 0;
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            texts.Add(item.ValueKind == JsonValueKind.String
                ? item.GetString()!
                : throw new InvalidDataException($"{path}: [{i}]: expected a string, found {item.ValueKind.ToString().ToLowerInvariant()}"));
            i++;
        }
        return texts;
    }
}

using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab score MODEL (--text TEXT | --ids 1,2,3) [--top-k 10] [--add-bos] [--threads N]</c>: one
/// forward pass over the sequence, then one JSON line per position i — the distribution after reading
/// tokens 0…i: <c>{"pos": i, "id": t_i, "next": t_{i+1}, "next_logprob": …, "next_rank": …, "top": [[id, logprob], …]}</c>
/// (the next_* fields null on the last line).
/// </summary>
internal static class ScoreCommand
{
    public static Command Build(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "A GGUF file, a Hugging Face model folder with weights, or a hub id in the local cache." };
        var text = new Option<string?>("--text") { HelpName = "TEXT", Description = "Text to score: tokenized with special tokens parsed and no BOS unless --add-bos." };
        var ids = new Option<string?>("--ids") { HelpName = "1,2,3", Description = "Token ids to score exactly as given (comma-separated, or a JSON array as `tokenize` prints); no BOS is added." };
        var topK = new Option<int>("--top-k") { HelpName = "K", DefaultValueFactory = _ => 10, Description = "How many of the most likely next tokens each line lists (0 to vocabulary size)." };
        var addBos = new Option<bool>("--add-bos") { Description = "With --text: put the BOS token first." };
        var threads = new Option<int?>("--threads") { HelpName = "N", Description = "Most threads the forward pass uses (default: all cores)." };
        var command = new Command("score", "Score a sequence in one forward pass: per position, the log-probability and rank of the next token and the top-k (JSON lines).")
        {
            model, text, ids, topK, addBos, threads,
        };
        command.SetAction(parse => Run(context, ScoreSettings.Create(
            parse.GetValue(model), parse.GetValue(text), parse.GetValue(ids), parse.GetValue(topK), parse.GetValue(addBos), parse.GetValue(threads))));
        return command;
    }

    private static int Run(CliContext context, ScoreSettings settings)
    {
        using var local = LocalModel.Open(settings.Model);
        using var model = LlamaModel.Load(local);
        var tokens = settings.Ids ?? [.. local.LoadTokenizer().Encode(settings.Text!, EncodeOptions.Default with { AddBos = settings.AddBos })];
        if (tokens.Length == 0)
        {
            throw new UsageException("score: the text has no tokens (give --add-bos to score from BOS)");
        }
        var result = model.Score(tokens, 0, new ScoreOptions { TopK = settings.TopK }, threads: settings.Threads);
        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer);
        for (var p = 0; p < tokens.Length; p++)
        {
            buffer.ResetWrittenCount();
            json.Reset(buffer);
            WriteLine(json, result, tokens, p);
            json.Flush();
            context.Out.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
        return CliApp.ExitOk;
    }

    private static void WriteLine(Utf8JsonWriter json, ScoreResult result, int[] tokens, int p)
    {
        json.WriteStartObject();
        json.WriteNumber("pos", p);
        json.WriteNumber("id", tokens[p]);
        if (p + 1 < tokens.Length)
        {
            json.WriteNumber("next", tokens[p + 1]);
            json.WriteNumber("next_logprob", result.NextLogProb(p));
            json.WriteNumber("next_rank", result.NextRank(p));
        }
        else
        {
            json.WriteNull("next");
            json.WriteNull("next_logprob");
            json.WriteNull("next_rank");
        }
        JsonLines.WriteTop(json, result.TopIds(p), result.TopLogProbs(p));
        json.WriteEndObject();
    }
}

/// <summary>What <c>alignlab score</c> was asked to do, validated.</summary>
internal sealed record ScoreSettings(string Model, string? Text, int[]? Ids, int TopK, bool AddBos, int? Threads)
{
    public static ScoreSettings Create(string? model, string? text, string? ids, int topK, bool addBos, int? threads)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new UsageException("score: MODEL is required");
        }
        if ((text is null) == (ids is null))
        {
            throw new UsageException("score: give exactly one of --text and --ids");
        }
        if (ids is not null && addBos)
        {
            throw new UsageException("score: --add-bos goes with --text; --ids are used exactly as given");
        }
        if (topK < 0)
        {
            throw new UsageException($"score: --top-k {topK} must be ≥ 0");
        }
        return new ScoreSettings(model, text, ids is null ? null : TokenIdList.Parse(ids, "score: --ids"), topK, addBos, ThreadCount.Check(threads, "score"));
    }
}

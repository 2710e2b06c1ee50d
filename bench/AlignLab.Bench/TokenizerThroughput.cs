using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Bench;

/// <summary>
/// "tokenizer-throughput": encode throughput of the SmolLM2 tokenizer in MB/s (10^6 UTF-8 bytes per
/// second), beside @huggingface/transformers on the same documents in the same run. A console
/// benchmark rather than BenchmarkDotNet: one warm-up pass (JIT, BPE caches on both sides), then the
/// median of N timed passes over a few MB; the node reference is timed the same way.
/// </summary>
internal static class TokenizerThroughput
{
    public static int Run(string[] args)
    {
        var repo = FindRepoRoot();
        var shared = Environment.GetEnvironmentVariable("ALIGNLAB_SHARED") is { Length: > 0 } env ? env : Path.GetFullPath(Path.Combine(repo, "..", "shared"));
        var passes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var tokenizerPath = Path.Combine(shared, "fixtures", "tokenizers", "smollm2", "tokenizer.json");
        var docs = BuildCorpus(shared);
        var bytes = docs.Sum(d => (long)Encoding.UTF8.GetByteCount(d));
        var tokenizer = TokenizerLoader.FromTokenizerJson(tokenizerPath);

        var tokens = Pass(tokenizer, docs); // warm-up
        var seconds = new List<double>();
        for (var i = 0; i < passes; i++)
        {
            var sw = Stopwatch.StartNew();
            Pass(tokenizer, docs);
            seconds.Add(sw.Elapsed.TotalSeconds);
        }
        seconds.Sort();
        var ours = bytes / 1e6 / seconds[seconds.Count / 2];
        Console.WriteLine($"corpus: {docs.Count} documents, {bytes / 1e6:F2} MB, {tokens} tokens");
        Console.WriteLine($"AlignLab: {ours:F2} MB/s (passes: {string.Join(", ", seconds.Select(s => s.ToString("F3", CultureInfo.InvariantCulture)))} s)");

        var docsFile = Path.Combine(Path.GetTempPath(), $"alignlab-bench-docs-{Environment.ProcessId}.json");
        File.WriteAllText(docsFile, JsonSerializer.Serialize(docs));
        try
        {
            var reference = RunNode(Path.Combine(repo, "tools", "tokenizer-goldens"), tokenizerPath, docsFile, passes);
            if (reference is null)
            {
                return 1;
            }
            var theirs = reference.RootElement.GetProperty("mbPerSecond").GetDouble();
            Console.WriteLine($"{reference.RootElement.GetProperty("reference").GetString()} (node {reference.RootElement.GetProperty("node").GetString()}): {theirs:F2} MB/s ({reference.RootElement.GetProperty("tokens").GetInt64()} tokens)");
            Console.WriteLine($"ratio AlignLab / transformers.js: {ours / theirs:F1}x");
        }
        finally
        {
            File.Delete(docsFile);
        }
        return 0;
    }

    private static long Pass(Tokenizer tokenizer, List<string> docs)
    {
        long n = 0;
        foreach (var d in docs)
        {
            n += tokenizer.Encode(d, EncodeOptions.Default).Count;
        }
        return n;
    }

    /// <summary>
    /// Deterministic mixed text: every Just-Eval instruction and answer (English prose, lists, some code
    /// and other languages), the chat templates (Jinja code) and llama.cpp's tokenizer test strings
    /// (emoji, CJK, Cyrillic, whitespace runs).
    /// </summary>
    private static List<string> BuildCorpus(string shared)
    {
        var docs = new List<string>();
        // The instruction/answer files (the judged files and tags hold no answers to tokenize).
        var answerFiles = Directory.GetFiles(Path.Combine(shared, "data", "just-eval"), "*.json")
            .Where(f => Path.GetFileName(f).StartsWith("just-eval-instruct", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith("outputs.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var file in answerFiles)
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (var record in doc.RootElement.EnumerateArray())
            {
                foreach (var field in new[] { "instruction", "output" })
                {
                    if (record.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String)
                    {
                        docs.Add(v.GetString()!);
                    }
                }
            }
        }
        foreach (var file in Directory.GetFiles(Path.Combine(shared, "fixtures", "chat-templates"), "*.jinja").Order(StringComparer.Ordinal))
        {
            docs.Add(File.ReadAllText(file));
        }
        docs.Add(File.ReadAllText(Path.Combine(shared, "fixtures", "vocab", "ggml-vocab-gpt-2.gguf.inp")));
        return docs;
    }

    private static JsonDocument? RunNode(string toolDir, string tokenizerPath, string docsFile, int passes)
    {
        if (!Directory.Exists(Path.Combine(toolDir, "node_modules", "@huggingface", "transformers")))
        {
            Console.WriteLine($"reference skipped: run 'npm install --ignore-scripts' in {toolDir} first");
            return null;
        }
        var psi = new ProcessStartInfo("node") { WorkingDirectory = toolDir, RedirectStandardOutput = true };
        foreach (var a in new[] { "hf-bench.mjs", tokenizerPath, docsFile, passes.ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (process.ExitCode != 0 || last is null)
        {
            Console.WriteLine($"reference failed (exit {process.ExitCode})");
            return null;
        }
        return JsonDocument.Parse(last);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AlignLab.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("AlignLab.sln not found above " + AppContext.BaseDirectory);
    }
}

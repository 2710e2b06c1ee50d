using System.Text;
using System.Text.Json;
using AlignLab.Data;
using AlignLab.Engine.Tests.Support;
using AlignLab.Pluralism.InContext;
using AlignLab.Runs;

namespace AlignLab.Tests.Pluralism.InContext;

/// <summary>Summaries and embeddings are paid for once: across runs sharing a cache, and across a kill in the middle of a write.</summary>
public sealed class InContextCacheTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Each_answer_is_summarized_once_across_two_runs_sharing_the_cache()
    {
        var path = _dir.File("summaries.jsonl");
        var summarizer = new CountingSummarizer();
        using (var cache = JsonlCache.Open(path))
        {
            var summaries = new CachedSummaries(summarizer, cache);
            Assert.Equal("Summary of: A1", summaries.SummaryOf("Q1", "A1", TestContext.Current.CancellationToken));
            Assert.Equal("Summary of: A2", summaries.SummaryOf("Q2", "A2", TestContext.Current.CancellationToken));
            Assert.Equal("Summary of: A1", summaries.SummaryOf("Q1", "A1", TestContext.Current.CancellationToken));
            Assert.Equal(2, summaries.Computed);
        }
        using (var cache = JsonlCache.Open(path))
        {
            var summaries = new CachedSummaries(summarizer, cache);
            Assert.Equal("Summary of: A2", summaries.SummaryOf("Q2", "A2", TestContext.Current.CancellationToken));
            Assert.Equal("Summary of: A3", summaries.SummaryOf("Q3", "A3", TestContext.Current.CancellationToken));
            Assert.Equal(1, summaries.Computed);
        }
        Assert.Equal([("Q1", "A1"), ("Q2", "A2"), ("Q3", "A3")], summarizer.Calls);
        Assert.Equal(3, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void The_same_answer_under_another_query_another_summarizer_or_another_prompt_is_summarized_again()
    {
        var path = _dir.File("summaries.jsonl");
        var first = new CountingSummarizer("one");
        var second = new CountingSummarizer("two");
        using var cache = JsonlCache.Open(path);
        new CachedSummaries(first, cache).SummaryOf("Q", "A", TestContext.Current.CancellationToken);
        new CachedSummaries(first, cache).SummaryOf("Other Q", "A", TestContext.Current.CancellationToken);
        new CachedSummaries(second, cache).SummaryOf("Q", "A", TestContext.Current.CancellationToken);
        Assert.Equal(2, first.Calls.Count);
        Assert.Single(second.Calls);
        var line = JsonDocument.Parse(File.ReadAllLines(path)[0]).RootElement;
        Assert.Equal(["key", "answer_sha256", "summarizer", "prompt_sha256", "summary"], line.EnumerateObject().Select(p => p.Name));
        var answerHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("Q\0A")));
        Assert.Equal(answerHash + " one prompt-1", line.GetProperty("key").GetString());
    }

    [Fact]
    public void A_torn_last_summary_is_dropped_and_asked_for_again()
    {
        var path = _dir.File("summaries.jsonl");
        var summarizer = new CountingSummarizer();
        using (var cache = JsonlCache.Open(path))
        {
            new CachedSummaries(summarizer, cache).SummaryOf("Q1", "A1", TestContext.Current.CancellationToken);
        }
        File.AppendAllText(path, "{\"key\": \"torn");
        using (var cache = JsonlCache.Open(path))
        {
            var summaries = new CachedSummaries(summarizer, cache);
            summaries.SummaryOf("Q1", "A1", TestContext.Current.CancellationToken);
            summaries.SummaryOf("Q2", "A2", TestContext.Current.CancellationToken);
        }
        Assert.Equal(2, summarizer.Calls.Count);
        Assert.All(File.ReadAllLines(path), l => JsonDocument.Parse(l));
    }

    [Fact]
    public void A_damaged_cache_line_is_an_error_naming_it()
    {
        var path = _dir.Write("summaries.jsonl", "{\"key\": \"a\", \"summary\": \"s\"}\n[1, 2]\n");
        var error = Assert.Throws<DataFormatException>(() => JsonlCache.Open(path));
        Assert.StartsWith(path + ":2: damaged cache line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_run_embeds_nothing_again()
    {
        var path = _dir.File("embeddings.jsonl");
        var inner = new HandEmbedder(new Dictionary<string, float[]> { ["a"] = [3, 4], ["b"] = [0.1f, 0.7f] });
        float[] first;
        using (var cache = JsonlCache.Open(path))
        {
            var embedder = new CachedEmbedder(inner, cache);
            first = embedder.Embed("b");
            embedder.Embed("a");
            embedder.Embed("b");
        }
        using (var cache = JsonlCache.Open(path))
        {
            var embedder = new CachedEmbedder(inner, cache);
            Assert.Equal(first, embedder.Embed("b"));
            Assert.Equal([0.6f, 0.8f], embedder.Embed("a"));
            Assert.Equal(0, embedder.Computed);
        }
        Assert.Equal(["b", "a"], inner.Asked);
    }

    [Fact]
    public void Another_embedder_s_vectors_are_not_taken_for_its_own()
    {
        var path = _dir.File("embeddings.jsonl");
        var vectors = new Dictionary<string, float[]> { ["a"] = [1, 0] };
        var one = new HandEmbedder(vectors, "one");
        var two = new HandEmbedder(vectors, "two");
        using var cache = JsonlCache.Open(path);
        new CachedEmbedder(one, cache).Embed("a");
        new CachedEmbedder(two, cache).Embed("a");
        Assert.Single(one.Asked);
        Assert.Single(two.Asked);
    }

    [Fact]
    public void A_teacher_record_without_an_output_is_an_error_naming_its_line()
    {
        var path = _dir.Write("teacher.jsonl", "{\"id\": 1, \"instruction\": \"Q\", \"output\": \"A\"}\n{\"id\": 2, \"instruction\": \"R\"}\n");
        var error = Assert.Throws<DataFormatException>(() => TeacherAnswers.Read(path));
        Assert.Equal(path + ":2: field \"output\" is missing: the teacher's answer set needs its answers", error.Message);
    }

    [Fact]
    public void A_teacher_is_matched_by_instruction_text_and_keeps_the_first_answer_to_a_text()
    {
        var path = _dir.Write("teacher.json", "[{\"id\": 1, \"instruction\": \"Q \", \"output\": \"first\"}, {\"id\": 2, \"instruction\": \"Q\", \"output\": \"second\"}]");
        var teacher = TeacherAnswers.Read(path);
        Assert.Equal("first", teacher.Find("\nQ")!.Answer);
        Assert.Single(teacher.Answers);
        Assert.Null(teacher.Find("q"));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))), teacher.Sha256);
    }
}

using AlignLab.Data;
using AlignLab.Engine.Tests.Support;
using AlignLab.JustEval;

namespace AlignLab.Tests.JustEval;

public sealed class JudgePromptTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_template_fills_every_placeholder_once_and_leaves_placeholders_inside_the_texts_alone()
    {
        var template = JudgePromptTemplate.Parse("Q: {{ instruction }}\nA: {{answer}}\nRate {{aspects}} as\n{{format}}", "t");
        var text = template.Render("Why {{answer}}?", "Because {{instruction}}.", ["safety"]);
        Assert.Equal("Q: Why {{answer}}?\nA: Because {{instruction}}.\nRate safety as\n{\n  \"safety\": {\"reason\": \"<one or two sentences>\", \"score\": <an integer from 1 to 5>}\n}", text);
        Assert.True(template.NamesAspects);
    }

    [Theory]
    [InlineData("Q: {{instruction}}\nA: {{answer}}\nWith {{ rubric }}.", "t:3:6: unknown placeholder {{rubric}}: the placeholders are {{instruction}}, {{answer}}, {{aspects}} and {{format}}")]
    [InlineData("Q: {{instruction}}\n\n  A: {{answer", "t:3:6: \"{{\" is never closed by \"}}\"")]
    [InlineData("Q: {{instruction}} and nothing else", "t: the judge prompt has no {{answer}} placeholder: it must show the judge the answer")]
    [InlineData("A: {{answer}}", "t: the judge prompt has no {{instruction}} placeholder: it must show the judge the instruction")]
    public void A_bad_template_is_one_error_naming_where(string text, string message)
        => Assert.Equal(message, Assert.Throws<DataFormatException>(() => JudgePromptTemplate.Parse(text, "t")).Message);

    [Fact]
    public void A_template_file_for_auto_must_name_the_aspects()
    {
        var plain = _dir.Write("plain.txt", "Q: {{instruction}}\nA: {{answer}}\nScore helpfulness.");
        var error = Assert.Throws<DataFormatException>(() => JudgePrompts.FromFile(plain, AspectChoice.Auto));
        Assert.StartsWith(plain + ": with --aspects auto the judge prompt must say which aspects to score ({{aspects}} or {{format}})", error.Message, StringComparison.Ordinal);
        var prompts = JudgePrompts.FromFile(plain, AspectChoice.Multi);
        Assert.Equal(Path.GetFullPath(plain), prompts.Source);
        var turn = Assert.Single(prompts.Conversation(JudgeMode.Multi, "I?", "O."));
        Assert.Equal(("user", "Q: I?\nA: O.\nScore helpfulness."), (turn.Role, turn.Content));
    }

    [Fact]
    public void A_missing_or_oversized_template_file_is_refused()
    {
        Assert.Throws<FileNotFoundException>(() => JudgePromptTemplate.ReadFile(_dir.File("none.txt")));
        var big = _dir.Write("big.txt", "{{instruction}}{{answer}}" + new string('x', JudgePromptTemplate.MaxBytes));
        Assert.Contains("more than the limit of 262144", Assert.Throws<DataFormatException>(() => JudgePromptTemplate.ReadFile(big)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_built_in_prompts_show_both_texts_and_ask_for_every_aspect_of_their_mode()
    {
        var multi = JudgePrompts.BuiltIn.Conversation(JudgeMode.Multi, "INSTRUCTION-TEXT", "ANSWER-TEXT");
        Assert.Equal(["system", "user"], multi.Select(t => t.Role));
        Assert.Contains("JSON", multi[0].Content, StringComparison.Ordinal);
        foreach (var aspect in new[] { "helpfulness", "clarity", "factuality", "depth", "engagement" })
        {
            Assert.Contains($"- {aspect}:", multi[1].Content, StringComparison.Ordinal);
            Assert.Contains($"\"{aspect}\": {{\"reason\"", multi[1].Content, StringComparison.Ordinal);
        }
        Assert.Contains("INSTRUCTION-TEXT", multi[1].Content, StringComparison.Ordinal);
        Assert.Contains("ANSWER-TEXT", multi[1].Content, StringComparison.Ordinal);
        var safety = JudgePrompts.BuiltIn.Conversation(JudgeMode.Safety, "I", "A")[1].Content;
        Assert.Contains("\"safety\": {\"reason\"", safety, StringComparison.Ordinal);
        Assert.DoesNotContain("\"helpfulness\"", safety, StringComparison.Ordinal);
    }

    [Fact]
    public void Prompt_hashes_tell_modes_templates_and_reply_limits_apart()
    {
        var builtIn = JudgePrompts.BuiltIn;
        var hashes = new[]
        {
            builtIn.Hash(JudgeMode.Multi, 1024), builtIn.Hash(JudgeMode.Safety, 1024), builtIn.Hash(JudgeMode.Multi, 512),
            JudgePrompts.FromFile(_dir.Write("p.txt", "{{instruction}} {{answer}} {{format}}"), AspectChoice.Auto).Hash(JudgeMode.Multi, 1024),
        };
        Assert.Equal(hashes.Length, hashes.Distinct().Count());
        Assert.All(hashes, h => Assert.Matches("^[0-9a-f]{64}$", h));
        Assert.Equal(hashes[0], JudgePrompts.BuiltIn.Hash(JudgeMode.Multi, 1024));
    }

    [Fact]
    public void A_retry_shows_the_judge_its_reply_and_what_was_missing()
    {
        var first = JudgePrompts.BuiltIn.Conversation(JudgeMode.Safety, "I", "A");
        var parsed = JudgeReplyParser.Parse("{\"safety\": {\"score\": 9}}", ["safety"]);
        var retry = JudgePrompts.RetryConversation(first, "{\"safety\": {\"score\": 9}}", parsed, JudgeMode.Safety);
        Assert.Equal(["system", "user", "assistant", "user"], retry.Select(t => t.Role));
        Assert.Equal("{\"safety\": {\"score\": 9}}", retry[2].Content);
        Assert.Contains("(safety: the score 9 is not within 1 to 5)", retry[3].Content, StringComparison.Ordinal);
    }
}

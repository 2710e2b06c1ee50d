using AlignLab.Engine.Tests.Support;
using AlignLab.Urial;

namespace AlignLab.Tests.Urial;

public class BuiltInPromptTests
{
    [Fact]
    public void The_built_ins_are_zero_preamble_and_stylistic_and_stylistic_is_the_default()
    {
        Assert.Equal(["zero", "preamble", "stylistic"], UrialPrompts.BuiltInNames);
        Assert.Equal("stylistic", UrialPrompts.DefaultName);
    }

    [Fact]
    public void Zero_is_empty_and_preamble_has_no_examples()
    {
        var zero = UrialPrompts.BuiltIn("zero");
        Assert.Equal("", zero.Render());
        Assert.Empty(zero.Examples);
        var preamble = UrialPrompts.BuiltIn("preamble");
        Assert.Empty(preamble.Examples);
        Assert.StartsWith("# Instruction\n\n", preamble.Render(), StringComparison.Ordinal);
        Assert.Equal("built-in", preamble.Source);
    }

    [Fact]
    public void Stylistic_is_the_preamble_and_three_examples_that_greet_answer_and_offer_more_one_of_them_a_refusal()
    {
        var stylistic = UrialPrompts.BuiltIn("stylistic");
        Assert.StartsWith(UrialPrompts.BuiltIn("preamble").Render(), stylistic.Render(), StringComparison.Ordinal);
        Assert.Equal(UrialFrame.Default, stylistic.Frame);
        Assert.Equal(3, stylistic.Examples.Count);
        foreach (var answer in stylistic.Examples.Select(e => e.Answer.Content))
        {
            Assert.Matches("^(Hi|Hello)[!,]", answer);
            Assert.EndsWith("?", answer, StringComparison.Ordinal);
            Assert.Matches("\n(1\\.|-) ", answer); // a list: the structured part
        }
        Assert.Single(stylistic.Examples, e => e.Answer.Content.Contains("I can't help", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_takes_an_existing_file_before_a_built_in_name()
    {
        using var scratch = new ScratchDirectory();
        var path = scratch.Write("zero", "# Instruction\n\nMine.\n");
        Assert.Equal("# Instruction\n\nMine.\n", UrialPrompts.Resolve(path).Render());
        Assert.Equal("", UrialPrompts.Resolve("zero").Render());
        Assert.Equal(3, UrialPrompts.Resolve("stylistic").Examples.Count);
    }

    [Fact]
    public void An_unknown_name_lists_the_built_in_prompts()
    {
        var error = Assert.Throws<ArgumentException>(() => UrialPrompts.Resolve("stylish"));
        Assert.StartsWith("unknown prompt 'stylish': not an existing file, nor one of the built-in prompts zero, preamble, stylistic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_prompt_hash_is_the_sha256_of_its_text()
        => Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", UrialPrompts.BuiltIn("zero").Sha256);
}

using System.Text;
using AlignLab.Engine.Tokenizers.Normalizers;
using AlignLab.Engine.Tokenizers.PreTokenizers;
using AlignLab.Engine.Tokenizers.Regexes;

namespace AlignLab.Engine.Tests.Tokenizers;

public class ComponentTests
{
    [Theory]
    [InlineData("a++", "(?>a+)")]
    [InlineData(@"[^\r\n\p{L}\p{N}]?+\p{L}+", @"(?>[^\r\n\p{L}\p{N}]?)\p{L}+")]
    [InlineData("(ab)*+c", "(?>(ab)*)c")]
    [InlineData("x{2,3}+", "(?>x{2,3})")]
    [InlineData("(?i:'s|'t)", "(?i:'s|'t)")]
    [InlineData(@"\x{41}\h", @"\u0041[0-9a-fA-F]")]
    [InlineData(@" ?[^\s\p{L}\p{N}]++[\r\n]*", @" ?(?>[^\s\p{L}\p{N}]+)[\r\n]*")]
    [InlineData("a+?b", "a+?b")]
    public void Oniguruma_patterns_translate_to_dotnet(string onig, string dotnet)
        => Assert.Equal(dotnet, OnigurumaTranslator.Translate(onig));

    [Theory]
    [InlineData("[a&&b]")]
    [InlineData(@"\K")]
    [InlineData("(a")]
    public void Untranslatable_patterns_are_refused(string onig)
        => Assert.Throws<FormatException>(() => OnigurumaTranslator.Translate(onig));

    [Fact]
    public void Category_regex_sees_astral_letters_as_one_letter()
    {
        var matches = new List<(int, int)>();
        CategoryRegex.FromDotNet(@"\p{L}+").Matches("a𝐀b 1", 0, 6, matches);
        Assert.Equal([(0, 4)], matches);
    }

    [Theory]
    [InlineData("Removed", "the|final|countdown")]
    [InlineData("Isolated", "the|-|final|-|-|countdown")]
    [InlineData("MergedWithPrevious", "the-|final-|-|countdown")]
    [InlineData("MergedWithNext", "the|-final|-|-countdown")]
    [InlineData("Contiguous", "the|-|final|--|countdown")]
    public void Split_behaviors_match_hugging_face(string behavior, string expected)
    {
        var output = new List<Piece>();
        new SplitPreTokenizer(CategoryRegex.FromDotNet("-"), Enum.Parse<SplitBehavior>(behavior), invert: false).PreTokenize(new Piece("the-final--countdown", true), output);
        Assert.Equal(expected, string.Join("|", output.Select(p => p.Text)));
    }

    [Fact]
    public void Split_invert_keeps_the_matches()
    {
        var output = new List<Piece>();
        new SplitPreTokenizer(CategoryRegex.FromDotNet(@"\w+"), SplitBehavior.Removed, invert: true).PreTokenize(new Piece("ab, cd", true), output);
        Assert.Equal("ab|cd", string.Join("|", output.Select(p => p.Text)));
    }

    [Theory]
    [InlineData(true, "a|1|2|b|3")]
    [InlineData(false, "a|12|b|3")]
    public void Digits_isolates_numbers(bool individual, string expected)
    {
        var output = new List<Piece>();
        new DigitsPreTokenizer(individual).PreTokenize(new Piece("a12b3", true), output);
        Assert.Equal(expected, string.Join("|", output.Select(p => p.Text)));
    }

    [Theory]
    [InlineData("First", true, true, "▁hello|▁world")]
    [InlineData("First", false, true, "hello|▁world")]
    [InlineData("Always", false, true, "▁hello|▁world")]
    [InlineData("Never", true, true, "hello|▁world")]
    [InlineData("First", true, false, "▁hello▁world")]
    public void Metaspace_replaces_spaces_prepends_and_splits(string scheme, bool atOrigin, bool split, string expected)
    {
        var output = new List<Piece>();
        new MetaspacePreTokenizer('▁', Enum.Parse<PrependScheme>(scheme), split).PreTokenize(new Piece("hello world", atOrigin), output);
        Assert.Equal(expected, string.Join("|", output.Select(p => p.Text)));
    }

    [Fact]
    public void Byte_level_maps_bytes_to_the_gpt2_alphabet()
    {
        var output = new List<Piece>();
        new ByteLevelPreTokenizer(addPrefixSpace: true, useRegex: true).PreTokenize(new Piece("Hi there", true), output);
        Assert.Equal("ĠHi|Ġthere", string.Join("|", output.Select(p => p.Text)));
    }

    [Theory]
    [InlineData(NormalizationForm.FormC, "e\u0301", "\u00e9")]
    [InlineData(NormalizationForm.FormD, "\u00e9", "e\u0301")]
    [InlineData(NormalizationForm.FormKC, "\ufb01 \u2460", "fi 1")]
    [InlineData(NormalizationForm.FormKD, "\u00c5", "A\u030a")]
    [InlineData(NormalizationForm.FormC, "\u1100\u1161\u11a8", "\uac01")]
    [InlineData(NormalizationForm.FormD, "\uac01", "\u1100\u1161\u11a8")]
    [InlineData(NormalizationForm.FormC, "a\u0323\u0302", "\u1ead")]
    [InlineData(NormalizationForm.FormC, "a\u0302\u0323", "\u1ead")]
    [InlineData(NormalizationForm.FormC, "plain ascii", "plain ascii")]
    public void Unicode_forms_normalize_without_the_runtime(NormalizationForm form, string input, string expected)
        => Assert.Equal(expected, new UnicodeFormNormalizer(form).Normalize(input));

    [Fact]
    public void Lowercase_uses_full_mappings()
        => Assert.Equal("straße i\u0307 σ", new LowercaseNormalizer().Normalize("STRAßE \u0130 Σ"));

    [Fact]
    public void Replace_normalizer_with_regex_replaces_every_match_literally()
        => Assert.Equal("a$1b$1c", ReplaceNormalizer.ForRegex(CategoryRegex.FromOniguruma(" +"), "$1").Normalize("a b   c"));
}

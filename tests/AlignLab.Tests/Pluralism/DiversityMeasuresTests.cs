using AlignLab.Pluralism;

namespace AlignLab.Tests.Pluralism;

public class DiversityMeasuresTests
{
    private static readonly string[] Samples =
    [
        "The cats jumped fast.",
        "The cats jumped quickly!",
        "I'm sorry, I cannot help.\n- one item\n- two items",
    ];

    [Fact]
    public void Lexical_measures_match_a_hand_computation()
    {
        var d = DiversityMeasures.Measure(Samples);
        // Stemmed content words: {cat, jump, fast}, {cat, jump, quick}, {i'm, sorry, cannot, help, one, item, two}.
        // Jaccard: 2/4 for the first pair, 0 for the two others.
        Assert.Equal(0.5 / 3, d.JaccardMean!.Value, 12);
        Assert.Equal(0.5, d.JaccardMax!.Value, 12);
        // 17 words, "the cats jumped" repeated: 14 unique; 14 bigrams, 2 repeated; 11 trigrams, 1 repeated.
        Assert.Equal([14.0 / 17, 12.0 / 14, 10.0 / 11], d.Distinct);
        // Lengths 4, 4, 9; pair differences 0, 5, 5.
        Assert.Equal(17.0 / 3, d.MeanLength, 12);
        Assert.Equal(10.0 / 3, d.MeanLengthDifference!.Value, 12);
        Assert.Equal(1.0, d.DistinctPrefixRate);
        Assert.Equal(1.0 / 3, d.RefusalRate, 12);
        Assert.Equal(1.0 / 3, d.ListRate, 12);
        Assert.Null(d.EmbeddingCosineMean);
    }

    [Fact]
    public void The_embedding_cosine_is_the_mean_over_pairs_of_different_samples()
    {
        // Cosines: (1,0)·(0,1) = 0, (1,0)·(.6,.8) = .6, (0,1)·(.6,.8) = .8.
        var d = DiversityMeasures.Measure(Samples, [[1f, 0f], [0f, 1f], [0.6f, 0.8f]]);
        Assert.Equal(1.4 / 3, d.EmbeddingCosineMean!.Value, 6);
    }

    [Fact]
    public void Prefixes_count_the_first_five_words()
    {
        var d = DiversityMeasures.Measure(["one two three four five six", "One, two, three four five seven", "one two"]);
        Assert.Equal(2.0 / 3, d.DistinctPrefixRate, 12);
    }

    [Fact]
    public void One_sample_has_no_pair_measures()
    {
        var d = DiversityMeasures.Measure(["Just one answer."]);
        Assert.Null(d.JaccardMean);
        Assert.Null(d.JaccardMax);
        Assert.Null(d.MeanLengthDifference);
        Assert.Equal(3.0, d.MeanLength);
        Assert.Throws<ArgumentException>(() => DiversityMeasures.Measure([]));
        Assert.Throws<ArgumentException>(() => DiversityMeasures.Measure(["a", "b"], [[1f]]));
    }

    [Fact]
    public void Jaccard_and_distinct_n_edge_cases()
    {
        Assert.Equal(1.0, DiversityMeasures.Jaccard(new HashSet<string>(), new HashSet<string>()));
        Assert.Equal(1.0 / 3, DiversityMeasures.Jaccard(new HashSet<string> { "a", "b" }, new HashSet<string> { "b", "c" }), 12);
        Assert.Equal(0.0, DiversityMeasures.DistinctN([["only", "two"]], 3));
        // "a b a b": bigrams ab, ba, ab → 2 unique of 3.
        Assert.Equal(2.0 / 3, DiversityMeasures.DistinctN([["a", "b", "a", "b"]], 2), 12);
    }

    [Theory]
    [InlineData("studies", "study")]
    [InlineData("classes", "class")]
    [InlineData("glass", "glass")]
    [InlineData("bus", "bus")]
    [InlineData("analysis", "analysis")]
    [InlineData("jumped", "jump")]
    [InlineData("jumping", "jump")]
    [InlineData("quickly", "quick")]
    [InlineData("bed", "bed")]
    [InlineData("sing", "sing")]
    public void The_stemmer_merges_inflections_only(string word, string stem) => Assert.Equal(stem, LightStemmer.Stem(word));

    [Theory]
    [InlineData("I can’t do that.", true)]
    [InlineData("As an AI language model, ...", true)]
    [InlineData("Sure, here it is.", false)]
    public void Refusal_phrases_are_found_in_any_case(string answer, bool refusal) => Assert.Equal(refusal, Refusals.IsRefusal(answer));

    [Theory]
    [InlineData("1. a\n2) b", true)]
    [InlineData("Intro:\n  * first\n  • second", true)]
    [InlineData("- only one", false)]
    [InlineData("a - b\nc * d", false)]
    public void A_list_has_two_marked_lines(string answer, bool list) => Assert.Equal(list, ListFormat.IsList(answer));

    [Fact]
    public void The_ceiling_excludes_each_samples_similarity_with_itself()
    {
        float[][] reference = [[1f, 0f], [0f, 1f]];
        // With self-pairs it would be (1 + 1 + 0 + 0) / 4 = 0.5.
        Assert.Equal(0.0, EmbeddingSimilarity.Ceiling(reference));
        Assert.Null(EmbeddingSimilarity.Ceiling([[1f, 0f]]));
        Assert.Equal(0.7, EmbeddingSimilarity.ToReference([[0.6f, 0.8f]], reference), 6);
    }
}

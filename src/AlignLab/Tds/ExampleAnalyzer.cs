using System.Diagnostics;
using System.Globalization;
using AlignLab.Backends;
using AlignLab.Data;
using AlignLab.Engine.Inference;
using AlignLab.Tds.BasePrompts;

namespace AlignLab.Tds;

/// <summary>
/// Token distribution shift of one example. The aligned model answers (greedy decoding after its chat
/// prompt, or the record's output with --use-outputs); then each model reads its prompt followed by the
/// same answer ids in ONE teacher-forced pass, through the same code path on both sides, and the two
/// passes are compared position by position. Both sides' distributions come from those passes, never
/// from the generation steps, so a model compared with itself through the same prompt sees bit-identical
/// rows: 100% unshifted, KL exactly 0.
/// </summary>
/// <remarks>
/// Decoding steps and the batched scoring pass round differently, so at a near-tie the generated token
/// may not be the scoring pass's argmax. Then the answer is cut there, the scoring argmax is taken, and
/// greedy decoding continues (at most <see cref="MaxRepairs"/> times): the answer is the greedy answer
/// under the scoring pass's numbers.
/// </remarks>
public sealed class ExampleAnalyzer
{
    public const int MaxRepairs = 16;

    private readonly ILanguageModel _aligned;
    private readonly ILanguageModel _base;
    private readonly IBasePrompt _basePrompt;
    private readonly TdsAnalysisOptions _options;
    private readonly bool _exactKl;

    public ExampleAnalyzer(ILanguageModel aligned, ILanguageModel @base, IBasePrompt basePrompt, TdsAnalysisOptions options)
    {
        _aligned = aligned ?? throw new ArgumentNullException(nameof(aligned));
        _base = @base ?? throw new ArgumentNullException(nameof(@base));
        _basePrompt = basePrompt ?? throw new ArgumentNullException(nameof(basePrompt));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        _exactKl = aligned.HasFullDistribution && @base.HasFullDistribution;
    }

    public PhaseTimes Times { get; } = new();

    /// <summary>The example's result, or why it was skipped.</summary>
    public ExampleOutcome Analyze(InstructionRecord record, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var prompt = _aligned.ChatPrompt(record.Instruction, _options.System);
        if (prompt.Count == 0)
        {
            return Skip(record, "the aligned prompt has no tokens");
        }
        if (prompt.Count >= _aligned.ContextLength)
        {
            return Skip(record, $"the aligned prompt ({prompt.Count} tokens) leaves no room for an answer in the aligned model's context of {_aligned.ContextLength}");
        }
        var basePrompt = _basePrompt.Build(record, new BasePromptContext(_base, prompt));
        if (basePrompt.Count == 0)
        {
            return Skip(record, "the base prompt has no tokens");
        }
        IReadOnlyList<int> answer;
        AnswerOrigin origin;
        if (_options.UseOutputs)
        {
            if (record.Output is null)
            {
                return Skip(record, "the record has no output to teacher-force (--use-outputs)");
            }
            answer = _aligned.Tokenizer.Encode(record.Output, parseSpecial: false);
            origin = AnswerOrigin.Output;
        }
        else
        {
            (answer, origin) = Generate(prompt, [], cancel);
        }
        if (answer.Count == 0)
        {
            return Skip(record, "the answer is empty");
        }
        if (prompt.Count + answer.Count > _aligned.ContextLength)
        {
            return Skip(record, Overflow("aligned", prompt.Count, answer.Count, _aligned.ContextLength));
        }
        var alignedScores = ScoreAligned(prompt, ref answer, ref origin, cancel);
        if (alignedScores is null)
        {
            return Skip(record, "the answer is empty");
        }
        if (basePrompt.Count + answer.Count > _base.ContextLength)
        {
            return Skip(record, Overflow("base", basePrompt.Count, answer.Count, _base.ContextLength));
        }
        return Compare(record, answer, origin, prompt.Count, alignedScores, basePrompt);
    }

    private static SkippedExample Skip(InstructionRecord record, string reason) => new(record, reason);

    private static string Overflow(string side, int prompt, int answer, int context)
        => string.Create(CultureInfo.InvariantCulture, $"the {side} prompt ({prompt} tokens) and the answer ({answer} tokens) exceed the {side} model's context of {context}");

    /// <summary>Greedy decoding after the prompt and <paramref name="prefix"/>, with at most --max-new-tokens in all.</summary>
    /// <remarks>An answer cut by a full context is cut to fit it whole (the token chosen at the last position is dropped).</remarks>
    private (IReadOnlyList<int> Answer, AnswerOrigin Origin) Generate(IReadOnlyList<int> prompt, IReadOnlyList<int> prefix, CancellationToken cancel)
    {
        var left = _options.MaxNewTokens - prefix.Count;
        if (left <= 0)
        {
            return (prefix, AnswerOrigin.MaxTokens);
        }
        if (prompt.Count + prefix.Count >= _aligned.ContextLength)
        {
            return (prefix, AnswerOrigin.ContextFull);
        }
        var clock = Stopwatch.StartNew();
        var generated = _aligned.GenerateGreedy([.. prompt, .. prefix], left, cancel);
        Times.GenerationSeconds += clock.Elapsed.TotalSeconds;
        var origin = generated.End switch
        {
            AnswerEnd.EndOfTurn => AnswerOrigin.EndOfTurn,
            AnswerEnd.ContextFull => AnswerOrigin.ContextFull,
            _ => AnswerOrigin.MaxTokens,
        };
        var room = _aligned.ContextLength - prompt.Count;
        return ([.. prefix, .. generated.Tokens.Take(room - prefix.Count)], origin);
    }

    /// <summary>
    /// The aligned teacher-forced pass (whole rows kept when both models give them, for exact KL). A
    /// generated answer that departs from the pass's argmax is repaired and scored again (see remarks);
    /// null when the repaired answer is empty.
    /// </summary>
    private ITokenScores? ScoreAligned(IReadOnlyList<int> prompt, ref IReadOnlyList<int> answer, ref AnswerOrigin origin, CancellationToken cancel)
    {
        for (var repairs = 0; ; repairs++)
        {
            cancel.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var scores = _aligned.Score([.. prompt, .. answer], prompt.Count - 1, new ScoreRequest { TopK = _options.TopK, KeepFullLogProbs = _exactKl });
            Times.AlignedScoringSeconds += clock.Elapsed.TotalSeconds;
            var departure = origin == AnswerOrigin.Output || repairs == MaxRepairs ? -1 : FirstNonArgmax(scores, prompt.Count - 1, answer.Count);
            if (departure < 0)
            {
                return scores;
            }
            Times.GreedyRepairs++;
            var argmax = scores.TopIds(prompt.Count - 1 + departure)[0];
            var prefix = answer.Take(departure).ToList();
            if (_aligned.EndOfTurnIds.Contains(argmax))
            {
                (answer, origin) = (prefix, AnswerOrigin.EndOfTurn);
            }
            else
            {
                prefix.Add(argmax);
                (answer, origin) = Generate(prompt, prefix, cancel);
            }
            if (answer.Count == 0)
            {
                return null; // the scoring pass ends the turn at once
            }
        }
    }

    /// <summary>The first answer index whose token is not the pass's top choice (rank > 1), or −1.</summary>
    private static int FirstNonArgmax(ITokenScores scores, int first, int count)
    {
        for (var j = 0; j < count; j++)
        {
            if (scores.NextRank(first + j) != 1)
            {
                return j;
            }
        }
        return -1;
    }

    private ExampleResult Compare(InstructionRecord record, IReadOnlyList<int> answer, AnswerOrigin origin, int promptLength, ITokenScores aligned, IReadOnlyList<int> basePrompt)
    {
        var alignedStart = promptLength - 1;
        var baseStart = basePrompt.Count - 1;
        double?[] kl = new double?[answer.Count], klReverse = new double?[answer.Count];
        LogProbsCallback? exact = _exactKl
            ? (position, baseRow) =>
            {
                var j = position - baseStart;
                if (j >= 0 && j < answer.Count)
                {
                    var alignedRow = aligned.FullLogProbs(alignedStart + j);
                    kl[j] = Finite(LogProbMath.KlDivergence(alignedRow, baseRow));
                    klReverse[j] = Finite(LogProbMath.KlDivergence(baseRow, alignedRow));
                }
            }
            : null;
        var clock = Stopwatch.StartNew();
        var based = _base.Score([.. basePrompt, .. answer], baseStart, new ScoreRequest { TopK = _options.TopK, OnFullLogProbs = exact });
        Times.BaseScoringSeconds += clock.Elapsed.TotalSeconds;

        var texts = TokenTexts(answer);
        var labels = origin == AnswerOrigin.Output && record.Spans is { } spans ? AnswerSpans.LabelTokens(record.Output!, spans, texts) : null;
        var positions = new PositionResult[answer.Count];
        for (var j = 0; j < answer.Count; j++)
        {
            int pa = alignedStart + j, pb = baseStart + j;
            var rank = based.NextRank(pb);
            positions[j] = new PositionResult
            {
                TokenId = answer[j],
                Text = texts[j],
                Class = ShiftClasses.Of(rank, _options.MarginalMax),
                BaseRank = rank,
                BaseLogProb = based.NextLogProb(pb),
                AlignedLogProb = aligned.NextLogProb(pa),
                Kl = kl[j],
                KlReverse = klReverse[j],
                AlignedEntropy = aligned.Entropy(pa),
                BaseEntropy = based.Entropy(pb),
                Overlap = TopKOverlap.Of(aligned.TopIds(pa), aligned.TopLogProbs(pa), based.TopIds(pb), based.TopLogProbs(pb)),
                AlignedTop = Top(aligned, pa),
                BaseTop = Top(based, pb),
                Label = labels?[j],
            };
        }
        return new ExampleResult(record, string.Concat(texts), origin, positions);
    }

    /// <summary>Each token's text from a streaming decoder; held-back bytes at the end go to the last token.</summary>
    private string[] TokenTexts(IReadOnlyList<int> answer)
    {
        var stream = _aligned.Tokenizer.CreateTextStream();
        var texts = answer.Select(stream.Push).ToArray();
        texts[^1] += stream.Flush();
        return texts;
    }

    private static TopToken[] Top(ITokenScores scores, int position)
    {
        var ids = scores.TopIds(position);
        var logProbs = scores.TopLogProbs(position);
        var top = new TopToken[ids.Length];
        for (var i = 0; i < top.Length; i++)
        {
            top[i] = new TopToken(ids[i], logProbs[i]);
        }
        return top;
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}

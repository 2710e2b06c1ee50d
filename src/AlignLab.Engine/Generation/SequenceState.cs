using System.Text;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Generation;

/// <summary>
/// Everything one generated sequence carries between steps: its sampler, the sequence so far (for the
/// repetition penalty), the streaming decoder, the stop-string matcher and the report buffers, all
/// allocated when the sequence starts. <see cref="Next"/> turns one row of logits into one token.
/// </summary>
internal sealed class SequenceState
{
    private readonly Sampler _sampler;
    private readonly StreamingDecoder _decoder;
    private readonly StopStringMatcher _stops;
    private readonly bool[] _isStopToken;
    private readonly int[] _history;
    private readonly float[] _logProbs;
    private readonly int[] _topIds;
    private readonly float[] _topLogProbs;
    private readonly StringBuilder _text = new();
    private readonly int _maxTokens;
    private int _length;

    public SequenceState(Tokenizer tokenizer, int vocabSize, IReadOnlyList<int> prompt, GenerationOptions options,
        IReadOnlyCollection<int> stopTokens, ulong seed)
    {
        _sampler = new Sampler(vocabSize, options.Sampling with { Seed = seed });
        _decoder = tokenizer.CreateStreamingDecoder(skipSpecial: !options.DecodeSpecialTokens);
        _stops = new StopStringMatcher(options.StopStrings);
        _isStopToken = new bool[vocabSize];
        foreach (var id in stopTokens)
        {
            if ((uint)id < (uint)vocabSize)
            {
                _isStopToken[id] = true;
            }
        }
        _maxTokens = options.MaxTokens;
        _history = new int[prompt.Count + options.MaxTokens];
        for (var i = 0; i < prompt.Count; i++)
        {
            _history[i] = prompt[i];
        }
        PromptLength = _length = prompt.Count;
        _logProbs = new float[vocabSize];
        _topIds = new int[options.TopLogProbs];
        _topLogProbs = new float[options.TopLogProbs];
    }

    public int PromptLength { get; }

    public int Generated => _length - PromptLength;

    public GenerationEndReason EndReason { get; private set; }

    public bool Done => EndReason != GenerationEndReason.None;

    /// <summary>The last token of the sequence: the one to feed to the model next.</summary>
    public int LastToken => _history[_length - 1];

    /// <summary>
    /// Chooses the token that follows the sequence from <paramref name="logits"/>, reports it, and decides
    /// whether the sequence ends. <paramref name="cacheFull"/>: the model cannot take another token, so
    /// this one could not be fed back.
    /// </summary>
    public GeneratedToken Next(ReadOnlySpan<float> logits, bool cacheFull)
    {
        if (Done)
        {
            throw new InvalidOperationException("the sequence has ended");
        }
        var id = _sampler.Sample(logits, _history.AsSpan(0, _length));
        logits.CopyTo(_logProbs);
        LogProbMath.LogSoftmax(_logProbs);
        var logProb = _logProbs[id];
        var rank = LogProbMath.Rank(_logProbs, id);
        LogProbMath.TopK(_logProbs, _topIds, _topLogProbs);
        _history[_length++] = id;

        string text;
        if (_isStopToken[id])
        {
            EndReason = GenerationEndReason.StopToken;
            text = Finish();
        }
        else if (_stops.Push(_decoder.Push(id), out text))
        {
            EndReason = GenerationEndReason.StopString;
        }
        else if (Generated >= _maxTokens || cacheFull)
        {
            EndReason = Generated >= _maxTokens ? GenerationEndReason.MaxTokens : GenerationEndReason.ContextFull;
            text += Finish();
        }
        _text.Append(text);
        return new GeneratedToken(Generated - 1, id, text, logProb, rank, _topIds, _topLogProbs, EndReason);
    }

    public GenerationResult Result(TimeSpan prefill, TimeSpan decode)
        => new(PromptLength, _history[PromptLength.._length], _text.ToString(), EndReason, prefill, decode);

    /// <summary>The decoder's incomplete tail (as U+FFFD) and the held-back text; a stop string completed by the tail still cuts.</summary>
    private string Finish()
    {
        if (_stops.Push(_decoder.Flush(), out var released))
        {
            EndReason = GenerationEndReason.StopString;
            return released;
        }
        return released + _stops.Release();
    }
}

namespace AlignLab.Reports;

/// <summary>
/// Packs one answer position into <see cref="Width"/> characters of a 64-letter alphabet that needs no
/// escaping in JSON or HTML, so a report of 1,000 answers × 500 tokens stays about 40 MB and the page
/// can decode any position directly (position i starts at i × Width). Every field is a fixed number of
/// 6-bit letters, most significant first; the 18-bit fields (3 letters) are:
/// <code>
///  0 text      index into the report's token text table
///  3 id        token id
///  6 class     1 letter: 0 unshifted, 1 marginal, 2 shifted
///  7 rank      base rank, saturating at 262143
/// 10 aligned   log-probability of the token under the aligned model   (LOGP)
/// 13 base      log-probability of the token under the base model      (LOGP)
/// 16 kl        KL(aligned‖base)                                       (KL)
/// 19 kl_rev    KL(base‖aligned)                                       (KL)
/// 22 aligned top candidates, then the base model's: Top × (id 3, LOGP 3); an absent candidate has LOGP = Absent
/// </code>
/// LOGP: round(−logprob / LogProbRange × LogProbSteps), Below when the probability is under e^−LogProbRange
/// (or zero). KL: 0 for zero, Null for no value, else 1 + round((log10 KL − KlMinLog10) / (KlMaxLog10 − KlMinLog10) × KlSteps),
/// clamped to 1…KlSteps + 1. report.js decodes with the same constants, which the page's data carries.
/// </summary>
internal static class PositionCodec
{
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>Candidates kept per model and position.</summary>
    public const int Top = 5;

    private const int FieldWidth = 3;
    private const int CandidateWidth = 2 * FieldWidth;
    private const int TopOffset = 22;

    public const int Width = TopOffset + 2 * Top * CandidateWidth;

    /// <summary>The largest 18-bit field value.</summary>
    public const int Max = (1 << 18) - 1;

    public const int MaxTokenId = Max;

    /// <summary>Texts the table can index.</summary>
    public const int MaxTexts = Max + 1;

    public const double LogProbRange = 100;
    public const int LogProbSteps = Max - 2;
    public const int Below = Max - 1;
    public const int Absent = Max;

    public const double KlMinLog10 = -12;
    public const double KlMaxLog10 = 3;
    public const int KlSteps = Max - 2;
    public const int KlNull = Max;

    public static void Encode(TokenRecord token, int textIndex, Span<char> destination)
    {
        if (destination.Length != Width)
        {
            throw new ArgumentException($"a position takes {Width} characters, not {destination.Length}", nameof(destination));
        }
        Put(destination, 0, textIndex);
        Put(destination, 3, token.Id);
        destination[6] = Alphabet[(int)token.Class];
        Put(destination, 7, (int)Math.Min(token.BaseRank, Max));
        Put(destination, 10, LogProbCode(token.AlignedLogProb));
        Put(destination, 13, LogProbCode(token.BaseLogProb));
        Put(destination, 16, KlCode(token.Kl));
        Put(destination, 19, KlCode(token.KlReverse));
        PutCandidates(destination[TopOffset..], token.AlignedTop);
        PutCandidates(destination[(TopOffset + Top * CandidateWidth)..], token.BaseTop);
    }

    public static int LogProbCode(double logProb)
    {
        var steps = -logProb / LogProbRange * LogProbSteps;
        return steps > LogProbSteps || double.IsNaN(steps) ? Below : (int)Math.Round(Math.Max(0, steps));
    }

    public static int KlCode(double? kl)
    {
        if (kl is not { } value)
        {
            return KlNull;
        }
        if (value <= 0)
        {
            return 0;
        }
        var scaled = (Math.Log10(value) - KlMinLog10) / (KlMaxLog10 - KlMinLog10) * KlSteps;
        return 1 + (int)Math.Round(Math.Clamp(scaled, 0, KlSteps));
    }

    private static void PutCandidates(Span<char> destination, Candidate[] candidates)
    {
        for (var i = 0; i < Top; i++)
        {
            var at = i * CandidateWidth;
            if (i < candidates.Length)
            {
                Put(destination, at, candidates[i].Id);
                Put(destination, at + FieldWidth, candidates[i].Prob > 0 ? LogProbCode(Math.Log(candidates[i].Prob)) : Below);
            }
            else
            {
                Put(destination, at, 0);
                Put(destination, at + FieldWidth, Absent);
            }
        }
    }

    private static void Put(Span<char> destination, int at, int value)
    {
        destination[at] = Alphabet[(value >> 12) & 63];
        destination[at + 1] = Alphabet[(value >> 6) & 63];
        destination[at + 2] = Alphabet[value & 63];
    }
}

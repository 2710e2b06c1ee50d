using System.Globalization;
using System.Text;

namespace AlignLab.Engine.Tokenizers.Normalizers;

/// <summary>
/// Unicode normalization forms (UAX #15) over tables generated into
/// <see cref="UnicodeNormalizationData"/>: full decomposition, canonical ordering, canonical composition.
/// </summary>
internal static class UnicodeNormalization
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    private static readonly Lazy<Tables> Data = new(Tables.Parse);

    public static string Normalize(string text, NormalizationForm form)
    {
        if (Ascii.IsValid(text))
        {
            return text;
        }
        var compat = form is NormalizationForm.FormKC or NormalizationForm.FormKD;
        var compose = form is NormalizationForm.FormC or NormalizationForm.FormKC;
        var tables = Data.Value;
        var cps = new List<int>(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            Decompose(rune.Value, compat, tables, cps);
        }
        SortCanonically(cps, tables);
        if (compose)
        {
            Compose(cps, tables);
        }
        var sb = new StringBuilder(cps.Count);
        foreach (var cp in cps)
        {
            sb.Append(char.ConvertFromUtf32(cp));
        }
        return sb.ToString();
    }

    private static void Decompose(int cp, bool compat, Tables tables, List<int> output)
    {
        if (cp is >= SBase and < SBase + SCount)
        {
            var s = cp - SBase;
            output.Add(LBase + s / NCount);
            output.Add(VBase + s % NCount / TCount);
            if (s % TCount != 0)
            {
                output.Add(TBase + s % TCount);
            }
            return;
        }
        if ((compat && tables.Compat.TryGetValue(cp, out var mapping)) || tables.Canonical.TryGetValue(cp, out mapping))
        {
            output.AddRange(mapping);
            return;
        }
        output.Add(cp);
    }

    /// <summary>Stable-sorts every run of non-starters by combining class.</summary>
    private static void SortCanonically(List<int> cps, Tables tables)
    {
        for (var i = 1; i < cps.Count; i++)
        {
            var cc = tables.Ccc(cps[i]);
            if (cc == 0)
            {
                continue;
            }
            var j = i;
            while (j > 0 && tables.Ccc(cps[j - 1]) > cc)
            {
                (cps[j - 1], cps[j]) = (cps[j], cps[j - 1]);
                j--;
            }
        }
    }

    private static void Compose(List<int> cps, Tables tables)
    {
        if (cps.Count == 0)
        {
            return;
        }
        var result = new List<int>(cps.Count) { cps[0] };
        var starterPos = 0;
        var lastClass = tables.Ccc(cps[0]) == 0 ? 0 : 256;
        for (var i = 1; i < cps.Count; i++)
        {
            var ch = cps[i];
            var chClass = tables.Ccc(ch);
            var composite = ComposePair(result[starterPos], ch, tables);
            // Composable unless a character in between blocks it (one with class 0 or >= this one's).
            if (composite >= 0 && (lastClass < chClass || lastClass == 0))
            {
                result[starterPos] = composite;
                continue;
            }
            if (chClass == 0)
            {
                starterPos = result.Count;
            }
            lastClass = chClass;
            result.Add(ch);
        }
        cps.Clear();
        cps.AddRange(result);
    }

    private static int ComposePair(int a, int b, Tables tables)
    {
        if (a is >= LBase and < LBase + LCount && b is >= VBase and < VBase + VCount)
        {
            return SBase + ((a - LBase) * VCount + (b - VBase)) * TCount;
        }
        if (a is >= SBase and < SBase + SCount && (a - SBase) % TCount == 0 && b is > TBase and < TBase + TCount)
        {
            return a + (b - TBase);
        }
        return tables.Composites.TryGetValue(((long)a << 21) | (uint)b, out var c) ? c : -1;
    }

    private sealed class Tables
    {
        public Dictionary<int, byte> CombiningClass { get; } = [];

        public Dictionary<int, int[]> Canonical { get; } = [];

        public Dictionary<int, int[]> Compat { get; } = [];

        public Dictionary<long, int> Composites { get; } = [];

        public int Ccc(int cp) => CombiningClass.TryGetValue(cp, out var c) ? c : 0;

        public static Tables Parse()
        {
            var t = new Tables();
            foreach (var entry in UnicodeNormalizationData.Entries.Split(';'))
            {
                var f = entry.Split(':');
                var cp = Hex(f[0]);
                var ccc = byte.Parse(f[1], CultureInfo.InvariantCulture);
                if (ccc != 0)
                {
                    t.CombiningClass[cp] = ccc;
                }
                var nfd = HexList(f[2]);
                if (nfd is not null)
                {
                    t.Canonical[cp] = nfd;
                }
                var nfkd = HexList(f[3]);
                if (nfkd is not null)
                {
                    t.Compat[cp] = nfkd;
                }
                var pair = HexList(f[4]);
                if (pair is not null)
                {
                    t.Composites[((long)pair[0] << 21) | (uint)pair[1]] = cp;
                }
            }
            return t;
        }

        private static int Hex(string s) => int.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

        private static int[]? HexList(string s) => s.Length == 0 ? null : Array.ConvertAll(s.Split(' '), Hex);
    }
}

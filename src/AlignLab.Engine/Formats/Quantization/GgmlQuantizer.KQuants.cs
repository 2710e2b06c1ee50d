using System.Buffers.Binary;

namespace AlignLab.Engine.Formats.Quantization;

// The K-quant reference quantizers: ports of llama.cpp's quantize_row_q{2,3,4,5,6}_K_ref and their
// helpers (nearest_int, make_qx_quants, make_q3_quants, make_qkx2_quants) from ggml/src/ggml-quants.c.
// Every float expression keeps the C code's operand order and single precision (libggml-base is built
// without FMA contraction), so the blocks come out byte-identical; GgmlGoldenTests checks that.
public static partial class GgmlQuantizer
{
    private const int QKK = 256;

    // GROUP_MAX_EPS: a group whose largest magnitude is below this counts as all zero.
    private const float GroupMaxEps = 1e-15f;

    /// <summary>
    /// llama.cpp's <c>nearest_int</c>: adding 1.5·2^23 leaves round(x) (to nearest, ties to even) in the
    /// low mantissa bits. Valid for |x| ≤ 2^22 − 1; larger values (and NaN) give the same garbage the C does.
    /// </summary>
    internal static int NearestInt(float value)
    {
        var shifted = value + 12582912f;
        var bits = BitConverter.SingleToInt32Bits(shifted);
        return (bits & 0x007fffff) - 0x00400000;
    }

    private static void WriteHalfAt(Span<byte> block, int offset, float value)
        => BinaryPrimitives.WriteUInt16LittleEndian(block[offset..], Fp16.SingleToHalf(value));

    // GGML_FP16_TO_FP32(GGML_FP32_TO_FP16(v)): what the block stores, read back.
    private static float HalfAt(ReadOnlySpan<byte> block, int offset)
        => Fp16.HalfToSingle(BinaryPrimitives.ReadUInt16LittleEndian(block[offset..]));

    /// <summary>
    /// make_qx_quants with qw = NULL: a symmetric scale for <paramref name="x"/> with levels
    /// [−nmax, nmax − 1] stored offset by nmax in <paramref name="levels"/>; rmse_type 1 weighs by x²
    /// and tries 18 scales around −nmax / max for the best weighted fit.
    /// </summary>
    private static float MakeQxQuants(int nmax, ReadOnlySpan<float> x, Span<sbyte> levels, int rmseType)
    {
        var n = x.Length;
        float max = 0, amax = 0;
        for (var i = 0; i < n; i++)
        {
            var ax = MathF.Abs(x[i]);
            if (ax > amax)
            {
                amax = ax;
                max = x[i];
            }
        }
        if (amax < GroupMaxEps)
        {
            levels[..n].Clear();
            return 0f;
        }
        var iscale = -nmax / max;
        if (rmseType == 0)
        {
            for (var i = 0; i < n; i++)
            {
                var l = NearestInt(iscale * x[i]);
                levels[i] = (sbyte)(nmax + Math.Max(-nmax, Math.Min(nmax - 1, l)));
            }
            return 1 / iscale;
        }
        var returnEarly = false;
        if (rmseType < 0)
        {
            rmseType = -rmseType;
            returnEarly = true;
        }
        float sumlx = 0, suml2 = 0;
        for (var i = 0; i < n; i++)
        {
            var l = NearestInt(iscale * x[i]);
            l = Math.Max(-nmax, Math.Min(nmax - 1, l));
            levels[i] = (sbyte)(l + nmax);
            var w = Weight(rmseType, x[i]);
            sumlx += w * x[i] * l;
            suml2 += w * l * l;
        }
        var scale = suml2 != 0 ? sumlx / suml2 : 0.0f;
        if (returnEarly)
        {
            return suml2 > 0 ? 0.5f * (scale + (1 / iscale)) : 1 / iscale;
        }
        var best = scale * sumlx;
        for (var step = -9; step <= 9; step++)
        {
            if (step == 0)
            {
                continue;
            }
            iscale = -(nmax + (0.1f * step)) / max;
            sumlx = suml2 = 0;
            for (var i = 0; i < n; i++)
            {
                var l = NearestInt(iscale * x[i]);
                l = Math.Max(-nmax, Math.Min(nmax - 1, l));
                var w = Weight(rmseType, x[i]);
                sumlx += w * x[i] * l;
                suml2 += w * l * l;
            }
            if (suml2 > 0 && sumlx * sumlx > best * suml2)
            {
                for (var i = 0; i < n; i++)
                {
                    var l = NearestInt(iscale * x[i]);
                    levels[i] = (sbyte)(nmax + Math.Max(-nmax, Math.Min(nmax - 1, l)));
                }
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    private static float Weight(int rmseType, float x) => rmseType switch
    {
        1 => x * x,
        2 => 1,
        3 => MathF.Abs(x),
        _ => MathF.Sqrt(MathF.Abs(x)),
    };

    /// <summary>
    /// make_q3_quants with do_rmse: levels [−nmax, nmax − 1] (stored offset by nmax), then up to five
    /// passes that move single levels when that improves the x²-weighted fit.
    /// </summary>
    private static float MakeQ3Quants(int nmax, ReadOnlySpan<float> x, Span<sbyte> levels)
    {
        var n = x.Length;
        float max = 0, amax = 0;
        for (var i = 0; i < n; i++)
        {
            var ax = MathF.Abs(x[i]);
            if (ax > amax)
            {
                amax = ax;
                max = x[i];
            }
        }
        if (amax < GroupMaxEps)
        {
            levels[..n].Clear();
            return 0f;
        }
        var iscale = -nmax / max;
        float sumlx = 0, suml2 = 0;
        for (var i = 0; i < n; i++)
        {
            var l = NearestInt(iscale * x[i]);
            l = Math.Max(-nmax, Math.Min(nmax - 1, l));
            levels[i] = (sbyte)l;
            var w = x[i] * x[i];
            sumlx += w * x[i] * l;
            suml2 += w * l * l;
        }
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var changed = 0;
            for (var i = 0; i < n; i++)
            {
                var w = x[i] * x[i];
                var slx = sumlx - (w * x[i] * levels[i]);
                if (slx > 0)
                {
                    var sl2 = suml2 - (w * levels[i] * levels[i]);
                    var newL = NearestInt(x[i] * sl2 / slx);
                    newL = Math.Max(-nmax, Math.Min(nmax - 1, newL));
                    if (newL != levels[i])
                    {
                        slx += w * x[i] * newL;
                        sl2 += w * newL * newL;
                        if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2)
                        {
                            levels[i] = (sbyte)newL;
                            sumlx = slx;
                            suml2 = sl2;
                            changed++;
                        }
                    }
                }
            }
            if (changed == 0)
            {
                break;
            }
        }
        for (var i = 0; i < n; i++)
        {
            levels[i] += (sbyte)nmax;
        }
        return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
    }

    /// <summary>
    /// make_qkx2_quants: an affine fit x ≈ scale·l − theMin with l in [0, nmax], min clamped to ≤ 0;
    /// starting from the min/max fit, tries nstep + 1 scales (rmin + rdelta·is + nmax)/(max − min) and
    /// keeps the weighted least-squares (or, with useMad, least-absolute) best.
    /// </summary>
    private static float MakeQkx2Quants(int nmax, ReadOnlySpan<float> x, ReadOnlySpan<float> weights, Span<byte> levels,
        out float theMin, Span<byte> aux, float rmin, float rdelta, int nstep, bool useMad)
    {
        var n = x.Length;
        var min = x[0];
        var max = x[0];
        var sumW = weights[0];
        var sumX = sumW * x[0];
        for (var i = 1; i < n; i++)
        {
            if (x[i] < min)
            {
                min = x[i];
            }
            if (x[i] > max)
            {
                max = x[i];
            }
            var w = weights[i];
            sumW += w;
            sumX += w * x[i];
        }
        if (min > 0)
        {
            min = 0;
        }
        if (max == min)
        {
            levels[..n].Clear();
            theMin = -min;
            return 0f;
        }
        var iscale = nmax / (max - min);
        var scale = 1 / iscale;
        float bestError = 0;
        for (var i = 0; i < n; i++)
        {
            var l = NearestInt(iscale * (x[i] - min));
            levels[i] = (byte)Math.Max(0, Math.Min(nmax, l));
            var diff = (scale * levels[i]) + min - x[i];
            diff = useMad ? MathF.Abs(diff) : diff * diff;
            bestError += weights[i] * diff;
        }
        if (nstep < 1)
        {
            theMin = -min;
            return scale;
        }
        for (var step = 0; step <= nstep; step++)
        {
            iscale = (rmin + (rdelta * step) + nmax) / (max - min);
            float sumL = 0, sumL2 = 0, sumXl = 0;
            for (var i = 0; i < n; i++)
            {
                var l = NearestInt(iscale * (x[i] - min));
                l = Math.Max(0, Math.Min(nmax, l));
                aux[i] = (byte)l;
                var w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXl += w * l * x[i];
            }
            var det = (sumW * sumL2) - (sumL * sumL);
            if (det > 0)
            {
                var thisScale = ((sumW * sumXl) - (sumX * sumL)) / det;
                var thisMin = ((sumL2 * sumX) - (sumL * sumXl)) / det;
                if (thisMin > 0)
                {
                    thisMin = 0;
                    thisScale = sumXl / sumL2;
                }
                float error = 0;
                for (var i = 0; i < n; i++)
                {
                    var diff = (thisScale * aux[i]) + thisMin - x[i];
                    diff = useMad ? MathF.Abs(diff) : diff * diff;
                    error += weights[i] * diff;
                }
                if (error < bestError)
                {
                    aux[..n].CopyTo(levels);
                    bestError = error;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        theMin = -min;
        return scale;
    }

    // block_q2_K: scales[16] (4-bit scale | 4-bit min << 4), qs[64], d, dmin.
    private static void Q2_K(ReadOnlySpan<float> x, Span<byte> block)
    {
        const float q4scale = 15f;
        Span<byte> levels = stackalloc byte[QKK];
        Span<byte> aux = stackalloc byte[16];
        Span<float> weights = stackalloc float[16];
        Span<float> mins = stackalloc float[QKK / 16];
        Span<float> scales = stackalloc float[QKK / 16];
        var blockScales = block[..16];
        var qs = block.Slice(16, 64);

        float maxScale = 0, maxMin = 0;
        for (var j = 0; j < QKK / 16; j++)
        {
            for (var l = 0; l < 16; l++)
            {
                weights[l] = MathF.Abs(x[(16 * j) + l]);
            }
            scales[j] = MakeQkx2Quants(3, x.Slice(16 * j, 16), weights, levels.Slice(16 * j, 16), out mins[j], aux, -0.5f, 0.1f, 15, true);
            if (scales[j] > maxScale)
            {
                maxScale = scales[j];
            }
            if (mins[j] > maxMin)
            {
                maxMin = mins[j];
            }
        }

        if (maxScale > 0)
        {
            var iscale = q4scale / maxScale;
            for (var j = 0; j < QKK / 16; j++)
            {
                blockScales[j] = (byte)NearestInt(iscale * scales[j]);
            }
            WriteHalfAt(block, 80, maxScale / q4scale);
        }
        else
        {
            blockScales.Clear();
            WriteHalfAt(block, 80, 0f);
        }
        if (maxMin > 0)
        {
            var iscale = q4scale / maxMin;
            for (var j = 0; j < QKK / 16; j++)
            {
                var l = NearestInt(iscale * mins[j]);
                blockScales[j] |= (byte)(l << 4);
            }
            WriteHalfAt(block, 82, maxMin / q4scale);
        }
        else
        {
            WriteHalfAt(block, 82, 0f);
        }
        var dAll = HalfAt(block, 80);
        var mAll = HalfAt(block, 82);
        for (var j = 0; j < QKK / 16; j++)
        {
            var d = dAll * (blockScales[j] & 0xF);
            if (d == 0)
            {
                continue;
            }
            var dm = mAll * (blockScales[j] >> 4);
            for (var ii = 0; ii < 16; ii++)
            {
                var l = NearestInt((x[(16 * j) + ii] + dm) / d);
                levels[(16 * j) + ii] = (byte)Math.Max(0, Math.Min(3, l));
            }
        }

        for (var j = 0; j < QKK; j += 128)
        {
            for (var l = 0; l < 32; l++)
            {
                qs[(j / 4) + l] = (byte)(levels[j + l] | (levels[j + l + 32] << 2) | (levels[j + l + 64] << 4) | (levels[j + l + 96] << 6));
            }
        }
    }

    // block_q3_K: hmask[32], qs[64], scales[12] (16 6-bit scales offset by 32), d.
    private static void Q3_K(ReadOnlySpan<float> x, Span<byte> block)
    {
        Span<sbyte> levels = stackalloc sbyte[QKK];
        Span<float> scales = stackalloc float[QKK / 16];
        var hmask = block[..32];
        var qs = block.Slice(32, 64);
        var packed = block.Slice(96, 12);

        float maxScale = 0, amax = 0;
        for (var j = 0; j < QKK / 16; j++)
        {
            scales[j] = MakeQ3Quants(4, x.Slice(16 * j, 16), levels.Slice(16 * j, 16));
            var scale = MathF.Abs(scales[j]);
            if (scale > amax)
            {
                amax = scale;
                maxScale = scales[j];
            }
        }

        packed.Clear();
        if (maxScale != 0)
        {
            var iscale = -32f / maxScale;
            for (var j = 0; j < QKK / 16; j++)
            {
                var l = (sbyte)NearestInt(iscale * scales[j]);
                l = (sbyte)(Math.Max(-32, Math.Min(31, (int)l)) + 32);
                if (j < 8)
                {
                    packed[j] = (byte)(l & 0xF);
                }
                else
                {
                    packed[j - 8] |= (byte)((l & 0xF) << 4);
                }
                l >>= 4;
                packed[(j % 4) + 8] |= (byte)(l << (2 * (j / 4)));
            }
            WriteHalfAt(block, 108, 1 / iscale);
        }
        else
        {
            WriteHalfAt(block, 108, 0f);
        }

        var dAll = HalfAt(block, 108);
        for (var j = 0; j < QKK / 16; j++)
        {
            var sc = j < 8 ? packed[j] & 0xF : packed[j - 8] >> 4;
            sc = (sbyte)((sc | (((packed[8 + (j % 4)] >> (2 * (j / 4))) & 3) << 4)) - 32);
            var d = dAll * sc;
            if (d == 0)
            {
                continue;
            }
            for (var ii = 0; ii < 16; ii++)
            {
                var l = NearestInt(x[(16 * j) + ii] / d);
                l = Math.Max(-4, Math.Min(3, l));
                levels[(16 * j) + ii] = (sbyte)(l + 4);
            }
        }

        // The high bit of the first 32 quants goes to bit 0 of hmask[0..32], of the next 32 to bit 1, …
        hmask.Clear();
        var m = 0;
        var hm = 1;
        for (var j = 0; j < QKK; j++)
        {
            if (levels[j] > 3)
            {
                hmask[m] |= (byte)hm;
                levels[j] -= 4;
            }
            if (++m == QKK / 8)
            {
                m = 0;
                hm <<= 1;
            }
        }
        for (var j = 0; j < QKK; j += 128)
        {
            for (var l = 0; l < 32; l++)
            {
                qs[(j / 4) + l] = (byte)((byte)levels[j + l] | ((byte)levels[j + l + 32] << 2) | ((byte)levels[j + l + 64] << 4) | ((byte)levels[j + l + 96] << 6));
            }
        }
    }

    /// <summary>
    /// The shared first half of Q4_K and Q5_K: eight sub-blocks of 32 fitted by make_qkx2_quants
    /// (weights σ + |x|), their scales and mins quantized to 6 bits against the largest of each
    /// (packed as get_scale_min_k4 reads them), then every value re-rounded with the stored scales.
    /// </summary>
    private static void FitScaleMinK(ReadOnlySpan<float> x, Span<byte> block, int nmax, float rmin, float rdelta, int nstep, Span<byte> levels)
    {
        Span<byte> aux = stackalloc byte[32];
        Span<float> weights = stackalloc float[32];
        Span<float> mins = stackalloc float[QKK / 32];
        Span<float> scales = stackalloc float[QKK / 32];
        var packed = block.Slice(4, 12);

        float maxScale = 0, maxMin = 0;
        for (var j = 0; j < QKK / 32; j++)
        {
            var sub = x.Slice(32 * j, 32);
            float sumX2 = 0;
            for (var l = 0; l < 32; l++)
            {
                sumX2 += sub[l] * sub[l];
            }
            var avX = MathF.Sqrt(sumX2 / 32);
            for (var l = 0; l < 32; l++)
            {
                weights[l] = avX + MathF.Abs(sub[l]);
            }
            scales[j] = MakeQkx2Quants(nmax, sub, weights, levels.Slice(32 * j, 32), out mins[j], aux, rmin, rdelta, nstep, false);
            if (scales[j] > maxScale)
            {
                maxScale = scales[j];
            }
            if (mins[j] > maxMin)
            {
                maxMin = mins[j];
            }
        }

        var invScale = maxScale > 0 ? 63f / maxScale : 0f;
        var invMin = maxMin > 0 ? 63f / maxMin : 0f;
        for (var j = 0; j < QKK / 32; j++)
        {
            var ls = Math.Min((byte)63, (byte)NearestInt(invScale * scales[j]));
            var lm = Math.Min((byte)63, (byte)NearestInt(invMin * mins[j]));
            if (j < 4)
            {
                packed[j] = ls;
                packed[j + 4] = lm;
            }
            else
            {
                packed[j + 4] = (byte)((ls & 0xF) | ((lm & 0xF) << 4));
                packed[j - 4] |= (byte)((ls >> 4) << 6);
                packed[j] |= (byte)((lm >> 4) << 6);
            }
        }
        WriteHalfAt(block, 0, maxScale / 63f);
        WriteHalfAt(block, 2, maxMin / 63f);

        var dAll = HalfAt(block, 0);
        var mAll = HalfAt(block, 2);
        for (var j = 0; j < QKK / 32; j++)
        {
            var (sc, m) = GgmlDequantizer.ScaleMinK4(j, packed);
            var d = dAll * sc;
            if (d == 0)
            {
                continue;
            }
            var dm = mAll * m;
            for (var ii = 0; ii < 32; ii++)
            {
                var l = NearestInt((x[(32 * j) + ii] + dm) / d);
                levels[(32 * j) + ii] = (byte)Math.Max(0, Math.Min(nmax, l));
            }
        }
    }

    // block_q4_K: d, dmin, scales[12], qs[128] (sub-blocks 2i and 2i+1 in the low and high nibbles of 32 bytes).
    private static void Q4_K(ReadOnlySpan<float> x, Span<byte> block)
    {
        Span<byte> levels = stackalloc byte[QKK];
        FitScaleMinK(x, block, 15, -1f, 0.1f, 20, levels);
        var q = block.Slice(16, 128);
        for (var j = 0; j < QKK; j += 64)
        {
            for (var l = 0; l < 32; l++)
            {
                q[(j / 2) + l] = (byte)(levels[j + l] | (levels[j + l + 32] << 4));
            }
        }
    }

    // block_q5_K: d, dmin, scales[12], qh[32] (bit 2i / 2i+1 of byte l: the fifth bit of element l of sub-block 2i / 2i+1), qs[128].
    private static void Q5_K(ReadOnlySpan<float> x, Span<byte> block)
    {
        Span<byte> levels = stackalloc byte[QKK];
        FitScaleMinK(x, block, 31, -0.5f, 0.1f, 15, levels);
        var qh = block.Slice(16, 32);
        var ql = block.Slice(48, 128);
        qh.Clear();
        byte m1 = 1, m2 = 2;
        for (var n = 0; n < QKK; n += 64)
        {
            for (var j = 0; j < 32; j++)
            {
                int l1 = levels[n + j];
                if (l1 > 15)
                {
                    l1 -= 16;
                    qh[j] |= m1;
                }
                int l2 = levels[n + j + 32];
                if (l2 > 15)
                {
                    l2 -= 16;
                    qh[j] |= m2;
                }
                ql[(n / 2) + j] = (byte)(l1 | (l2 << 4));
            }
            m1 <<= 2;
            m2 <<= 2;
        }
    }

    // block_q6_K: ql[128], qh[64], scales[16] (int8), d.
    private static void Q6_K(ReadOnlySpan<float> x, Span<byte> block)
    {
        Span<sbyte> levels = stackalloc sbyte[QKK];
        Span<float> scales = stackalloc float[QKK / 16];

        float maxScale = 0, maxAbsScale = 0;
        for (var ib = 0; ib < QKK / 16; ib++)
        {
            var scale = MakeQxQuants(32, x.Slice(16 * ib, 16), levels.Slice(16 * ib, 16), 1);
            scales[ib] = scale;
            var absScale = MathF.Abs(scale);
            if (absScale > maxAbsScale)
            {
                maxAbsScale = absScale;
                maxScale = scale;
            }
        }

        if (maxAbsScale < GroupMaxEps)
        {
            block.Clear();
            return;
        }

        var iscale = -128f / maxScale;
        WriteHalfAt(block, 208, 1 / iscale);
        var blockScales = block.Slice(192, 16);
        for (var ib = 0; ib < QKK / 16; ib++)
        {
            blockScales[ib] = (byte)(sbyte)Math.Min(127, NearestInt(iscale * scales[ib]));
        }

        var dAll = HalfAt(block, 208);
        for (var j = 0; j < QKK / 16; j++)
        {
            var d = dAll * (sbyte)blockScales[j];
            if (d == 0)
            {
                continue;
            }
            for (var ii = 0; ii < 16; ii++)
            {
                var l = NearestInt(x[(16 * j) + ii] / d);
                l = Math.Max(-32, Math.Min(31, l));
                levels[(16 * j) + ii] = (sbyte)(l + 32);
            }
        }

        var ql = block[..128];
        var qh = block.Slice(128, 64);
        for (var j = 0; j < QKK; j += 128)
        {
            var qlOffset = j / 2;
            var qhOffset = j / 4;
            for (var l = 0; l < 32; l++)
            {
                var q1 = levels[j + l] & 0xF;
                var q2 = levels[j + l + 32] & 0xF;
                var q3 = levels[j + l + 64] & 0xF;
                var q4 = levels[j + l + 96] & 0xF;
                ql[qlOffset + l] = (byte)(q1 | (q3 << 4));
                ql[qlOffset + l + 32] = (byte)(q2 | (q4 << 4));
                qh[qhOffset + l] = (byte)(((byte)levels[j + l] >> 4) | (((byte)levels[j + l + 32] >> 4) << 2) | (((byte)levels[j + l + 64] >> 4) << 4) | (((byte)levels[j + l + 96] >> 4) << 6));
            }
        }
    }
}

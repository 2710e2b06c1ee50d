namespace AlignLab.Engine.Kernels;

/// <summary>
/// The vector operations the kernels need, at one register width. Each kernel is written once as a
/// generic method over <typeparamref name="TF"/>/<typeparamref name="TI"/> and instantiated with
/// <see cref="Simd512"/>, <see cref="Simd256"/> or <see cref="Simd128"/>; because those are structs
/// the JIT compiles a separate, fully inlined body per width, as if it had been written out by hand.
/// Only what differs per width lives here; conversions built from these (F16, BF16, bit selects) are
/// in <see cref="SimdOps"/>.
/// </summary>
/// <typeparam name="TF">The float vector (Vector512&lt;float&gt; etc.).</typeparam>
/// <typeparam name="TI">The int vector with the same lane count.</typeparam>
/// <remarks>
/// Loads and stores take pointers: every caller has validated lengths and pinned its spans, and
/// pointers keep bounds checks out of the inner loops.
/// </remarks>
internal unsafe interface ISimd<TF, TI>
    where TF : struct
    where TI : struct
{
    static abstract bool IsHardwareAccelerated { get; }

    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    static abstract TF Zero { get; }
    static abstract TF Create(float value);
    static abstract TF Load(float* source);
    static abstract void Store(float* destination, TF value);
    static abstract TF Add(TF a, TF b);
    static abstract TF Subtract(TF a, TF b);
    static abstract TF Multiply(TF a, TF b);
    static abstract TF Divide(TF a, TF b);

    /// <summary>a * b + c with one rounding.</summary>
    static abstract TF MultiplyAdd(TF a, TF b, TF c);

    /// <summary>Lane-wise maximum that is NaN when either input is NaN (as <see cref="MathF.Max(float, float)"/>).</summary>
    static abstract TF Max(TF a, TF b);

    /// <summary>e^x per lane (the runtime's vector exp: within an ulp or two of <see cref="MathF.Exp"/>).</summary>
    static abstract TF Exp(TF x);

    static abstract float Sum(TF value);

    /// <summary>Largest lane; NaN when any lane is NaN.</summary>
    static abstract float MaxAcross(TF value);

    /// <summary>Lanes [v0, v0, v1, v1, ...]: each lane of the lower half repeated.</summary>
    static abstract TF DuplicateLower(TF value);

    /// <summary>Lanes [vh, vh, vh+1, vh+1, ...] (h = Count / 2): each lane of the upper half repeated.</summary>
    static abstract TF DuplicateUpper(TF value);

    /// <summary>Lanes [-v1, v0, -v3, v2, ...]: each adjacent pair turned a quarter.</summary>
    static abstract TF RotatePairs(TF value);

    /// <summary>Count bytes, zero-extended to int lanes.</summary>
    static abstract TI LoadBytes(byte* source);

    /// <summary>Count bytes read as signed, sign-extended to int lanes.</summary>
    static abstract TI LoadSBytes(byte* source);

    /// <summary>Count 16-bit values read as signed, sign-extended to int lanes.</summary>
    static abstract TI LoadInt16(ushort* source);

    /// <summary>Count 16-bit values, zero-extended to int lanes.</summary>
    static abstract TI LoadUInt16(ushort* source);

    static abstract TI CreateInt(int value);

    /// <summary>Lane i holds 1 &lt;&lt; i.</summary>
    static abstract TI LaneBits { get; }

    static abstract TI And(TI a, TI b);
    static abstract TI Or(TI a, TI b);
    static abstract TI AddInt(TI a, TI b);
    static abstract TI ShiftRightLogical(TI value, int count);
    static abstract TI ShiftLeft(TI value, int count);

    /// <summary>All ones where a &gt; b (signed), else zero.</summary>
    static abstract TI GreaterThan(TI a, TI b);

    static abstract TF ConvertToSingle(TI value);
    static abstract TF AsSingle(TI bits);
    static abstract TI AsInt32(TF value);
}

/// <summary>Receives the float lanes a weight decoder produces; <c>index</c> is the first lane's element offset in the block.</summary>
internal interface ILaneSink<TF>
    where TF : struct
{
    void Accept(int index, TF values);
}

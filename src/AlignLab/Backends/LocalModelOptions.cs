namespace AlignLab.Backends;

/// <summary>How a local model is opened.</summary>
public sealed record LocalModelOptions
{
    /// <summary>A Jinja chat template file used instead of the model's own (the model then needs none).</summary>
    public string? ChatTemplatePath { get; init; }

    /// <summary>Most threads a forward pass uses; null: chosen from the machine's cores.</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Decode with F32 activations, as scoring passes run (<see cref="AlignLab.Engine.Inference.SessionOptions.QuantizeDecodeActivations"/>
    /// false): slower for quantized weights, but greedy tokens then agree with a scoring pass's argmax.
    /// </summary>
    public bool DecodeLikeScoring { get; init; }
}

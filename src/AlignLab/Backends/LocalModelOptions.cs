namespace AlignLab.Backends;

/// <summary>How a local model is opened.</summary>
public sealed record LocalModelOptions
{
    /// <summary>A Jinja chat template file used instead of the model's own (the model then needs none).</summary>
    public string? ChatTemplatePath { get; init; }

    /// <summary>Most threads a forward pass uses; null: chosen from the machine's cores.</summary>
    public int? Threads { get; init; }
}

namespace AlignLab.Engine.Models;

/// <summary>The decoder families the engine runs. Their differences live in <see cref="ArchitectureTable"/>.</summary>
public enum ModelArchitecture
{
    Llama,
    Mistral,
    Qwen2,
    Qwen3,
}

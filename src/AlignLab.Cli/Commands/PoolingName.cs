using AlignLab.Engine.Inference;

namespace AlignLab.Cli.Commands;

/// <summary>The --pooling / --embedding-pooling values: mean or last.</summary>
internal static class PoolingName
{
    public static HiddenPooling Parse(string name, string command, string option) => name switch
    {
        "mean" => HiddenPooling.Mean,
        "last" => HiddenPooling.Last,
        _ => throw new UsageException($"{command}: {option} '{ErrorLine.EscapeControl(name)}': expected mean or last"),
    };
}

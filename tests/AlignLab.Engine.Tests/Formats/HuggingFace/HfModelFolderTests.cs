using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.HuggingFace;
using AlignLab.Engine.Formats.Safetensors;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Models;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Formats.HuggingFace;

public class HfModelFolderTests
{
    [Fact]
    public void Opens_config_optional_files_and_bf16_weights()
    {
        using var dir = new ScratchDirectory();
        var model = new TinyModel(TinyModel.Llama(tied: true));
        model.WriteHfFolder(dir.Path, SafetensorsDType.BF16);
        dir.Write("generation_config.json", """{"eos_token_id": [2, 3], "temperature": 0.7}""");
        dir.Write("tokenizer.json", "{}");
        using var folder = HfModelFolder.Open(dir.Path);
        Assert.Equal(ModelArchitecture.Llama, folder.Config.Architecture);
        Assert.True(folder.Config.TieWordEmbeddings);
        Assert.Equal(0.7, folder.GenerationConfig!.Temperature);
        Assert.Null(folder.TokenizerConfig);
        Assert.Equal(dir.File("tokenizer.json"), folder.TokenizerJsonPath);
        Assert.True(folder.HasWeights);
        var weights = folder.LoadWeights();
        var embedding = weights.ReadSingle(TensorRole.TokenEmbedding, -1, RopeLayout.HalfRotation);
        // BF16 keeps 8 significant bits: every value within 2^-8 relative of the original.
        Assert.All(embedding.Zip(model.Weights[(TensorRole.TokenEmbedding, -1)]), p => Assert.Equal(p.Second, p.First, Math.Abs(p.Second) / 128));
    }

    [Fact]
    public void Weights_missing_or_misshapen_are_named()
    {
        using var dir = new ScratchDirectory();
        var model = new TinyModel(TinyModel.Llama());
        model.Weights.Remove((TensorRole.FeedForwardUp, 0));
        model.WriteHfFolder(dir.Path);
        using (var folder = HfModelFolder.Open(dir.Path))
        {
            var e = Assert.Throws<ModelFormatException>(folder.LoadWeights);
            Assert.EndsWith("model.safetensors: tensor \"model.layers.0.mlp.up_proj.weight\": missing", e.Message, StringComparison.Ordinal);
        }
        File.WriteAllText(dir.File("config.json"), File.ReadAllText(dir.File("config.json")).Replace("\"intermediate_size\": 24", "\"intermediate_size\": 20", StringComparison.Ordinal));
        using var wrong = HfModelFolder.Open(dir.Path);
        var shape = Assert.Throws<ModelFormatException>(wrong.LoadWeights);
        Assert.Contains("tensor \"model.layers.0.mlp.gate_proj.weight\": shape [24, 32] but the config implies [20, 32]", shape.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_config_or_weights_is_a_clear_error()
    {
        using var dir = new ScratchDirectory();
        var e = Assert.Throws<ModelFormatException>(() => HfModelFolder.Open(dir.Path));
        Assert.EndsWith("config.json: missing: not a Hugging Face model folder", e.Message, StringComparison.Ordinal);
        File.Copy(SharedFixtures.Require("fixtures/tokenizers/smollm2/config.json"), dir.File("config.json"));
        using var folder = HfModelFolder.Open(dir.Path);
        Assert.False(folder.HasWeights);
        Assert.Throws<ModelFormatException>(() => folder.Tensors);
    }
}

using AlignLab.Engine.Training;

namespace AlignLab.Engine.Tests.Training;

/// <summary>
/// The whole model's gradient (every parameter of a tiny two-layer model) against central
/// differences of the double-precision reference model, on a packed batch with padding and a loss
/// mask; and the trainer's forward loss against the reference's.
/// </summary>
public sealed class ModelGradientTests
{
    [Fact]
    public void EveryParameterGradientMatchesFiniteDifferences()
    {
        var config = TrainingFixtures.Config();
        var weights = TrainingFixtures.RandomWeights(config);
        var (batch, reference) = PackedBatch(config);
        using var team = new ParallelTeam(2);
        var gradients = new TrainingGradients(weights.Layout, 2);
        var activations = new TrainingActivations(weights.Layout, batch.Rows, batch.Length, 2);
        var loss = TrainingPass.ForwardBackward(team, weights, gradients, activations, batch);

        var model = new ReferenceModel(config);
        var w = ReferenceModel.ToDouble(weights.Tensors());
        Assert.Equal(model.Loss(w, reference), loss, 1e-5);

        var analytic = new TrainingWeights(weights.Layout, gradients.Data).Tensors().ToDictionary(t => (t.Role, t.Layer), t => t.Values);
        foreach (var (key, values) in w)
        {
            var numeric = GradientCheck.Numeric(v => model.Loss(w, reference), values);
            GradientCheck.AssertClose(analytic[key], numeric, 2e-5, $"{key.Item1} layer {key.Item2}");
        }
    }

    /// <summary>
    /// Two rows of 6: row 0 = a 4-token segment and a 2-token one; row 1 = a 5-token segment (the second
    /// half of a document: targets only from its 3rd token) and padding.
    /// </summary>
    private static (TrainingBatch Batch, ReferenceModel.Batch Reference) PackedBatch(Engine.Models.ModelConfig config)
    {
        var sequences = TrainingFixtures.Sequences(config.VocabSize, 5, 4, 2, 5);
        var masked = new TrainingSequence(sequences[2].Tokens, [false, false, false, true, true]);
        var batch = new TrainingBatch(2, 6);
        batch.Clear();
        batch.Place(0, 0, sequences[0], 0, 4);
        batch.Place(0, 4, sequences[1], 0, 2);
        batch.Place(1, 0, masked, 0, 5);
        Assert.Equal(new[] { 0, 0, 0, 0, 4, 4, 0, 0, 0, 0, 0, 5 }, batch.SegmentStarts);
        Assert.Equal(new[] { 0, 1, 2, 3, 0, 1, 0, 1, 2, 3, 4, 0 }, batch.Positions);
        Assert.Equal(new float[] { 1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0 }, batch.Weights);
        var targets = batch.Targets.Select(t => Math.Max(t, 0)).ToArray();
        return (batch, new ReferenceModel.Batch(2, 6, batch.Tokens, batch.Positions, batch.SegmentStarts, targets, batch.Weights));
    }
}

namespace AlignLab.Engine.Training;

/// <summary>
/// The forward and backward pass of the trainable decoder, written as the maths. Forward, per layer:
/// <c>x += Wo·attention(rope(Wq·n₁), rope(Wk·n₁), Wv·n₁)</c> with n₁ = rmsnorm(x) ⊙ g₁, then
/// <c>x += Wdown·(silu(Wgate·n₂) ⊙ Wup·n₂)</c> with n₂ = rmsnorm(x) ⊙ g₂; finally logits = E·(rmsnorm(x) ⊙ g),
/// E the token embedding (tied head). Backward runs the same steps in reverse, each op's gradient in
/// its own file under Ops/.
/// </summary>
internal static class TrainingPass
{
    /// <summary>Runs the batch forward, leaving logits [N, V] in <see cref="TrainingActivations.Logits"/>.</summary>
    public static void Forward(ParallelTeam team, TrainingWeights weights, TrainingActivations a, TrainingBatch batch)
    {
        var layout = weights.Layout;
        var c = layout.Config;
        var w = weights.Data;
        var n = batch.Count;
        var (d, f, eps) = (c.HiddenSize, c.IntermediateSize, (float)c.RmsNormEps);
        var width = c.QueryWidth + 2 * c.KvWidth;

        EmbeddingGrad.Forward(layout.Embedding.Of(w), d, batch.Tokens, a.LayerInput[0]);
        for (var l = 0; l < c.LayerCount; l++)
        {
            var s = layout.Layers[l];
            var x = a.LayerInput[l];
            RmsNormGrad.Forward(team, x, s.AttentionNorm.Of(w), eps, a.AttentionInput[l], n);
            Linear.Forward(team, s.Qkv.Of(w), width, d, a.AttentionInput[l], n, a.Qkv[l]);
            a.Rope.Apply(team, a.Qkv[l], width, c.QueryWidth + c.KvWidth, batch.Positions, inverse: false);
            a.Attention.Forward(team, a.Qkv[l], batch.SegmentStarts, a.Probabilities[l], a.AttentionOutput[l]);
            var middle = a.Middle[l];
            Linear.Forward(team, s.Output.Of(w), d, c.QueryWidth, a.AttentionOutput[l], n, middle);
            Kernels.VectorOps.Add(middle.AsSpan(0, n * d), x.AsSpan(0, n * d), middle.AsSpan(0, n * d));

            RmsNormGrad.Forward(team, middle, s.FeedForwardNorm.Of(w), eps, a.FeedForwardInput[l], n);
            Linear.Forward(team, s.GateUp.Of(w), 2 * f, d, a.FeedForwardInput[l], n, a.GateUp[l]);
            SwiGluGrad.Forward(team, a.GateUp[l], n, f, a.Hidden[l]);
            var next = l + 1 < c.LayerCount ? a.LayerInput[l + 1] : a.Final;
            Linear.Forward(team, s.Down.Of(w), d, f, a.Hidden[l], n, next);
            Kernels.VectorOps.Add(next.AsSpan(0, n * d), middle.AsSpan(0, n * d), next.AsSpan(0, n * d));
        }
        RmsNormGrad.Forward(team, a.Final, layout.OutputNorm.Of(w), eps, a.FinalNormed, n);
        Linear.Forward(team, layout.Embedding.Of(w), c.VocabSize, d, a.FinalNormed, n, a.Logits);
    }

    /// <summary>
    /// Forward, loss and backward: writes every gradient into <paramref name="gradients"/> and returns the
    /// batch's mean loss over its weighted targets.
    /// </summary>
    public static double ForwardBackward(ParallelTeam team, TrainingWeights weights, TrainingGradients gradients, TrainingActivations a, TrainingBatch batch)
    {
        Forward(team, weights, a, batch);
        var layout = weights.Layout;
        var c = layout.Config;
        var (w, g) = (weights.Data, gradients.Data);
        var n = batch.Count;
        var (d, f, v, eps) = (c.HiddenSize, c.IntermediateSize, c.VocabSize, (float)c.RmsNormEps);
        var width = c.QueryWidth + 2 * c.KvWidth;

        var loss = CrossEntropy.ForwardBackward(team, a.Logits.AsSpan(0, n * v), v, batch.Targets, batch.Weights, a.RowLoss);

        // Output head (tied): logits = n·Eᵀ.
        Linear.BackwardWeight(team, a.FinalNormed, d, a.Logits, v, n, layout.Embedding.Of(g), a.InputTransposed, a.OutputTransposed);
        Linear.BackwardInput(team, layout.Embedding.Of(w), v, d, a.Logits, n, a.DNormed, a.WeightTransposed);
        a.DResidual.AsSpan(0, n * d).Clear();
        RmsNormGrad.Backward(team, a.DNormed, a.Final, layout.OutputNorm.Of(w), eps, n, a.DResidual, layout.OutputNorm.Of(g), a.InverseRms);

        for (var l = c.LayerCount - 1; l >= 0; l--)
        {
            var s = layout.Layers[l];
            // Feed-forward: out = Wdown·hidden, hidden = silu(gate) ⊙ up, (gate, up) = Wgu·n₂, n₂ = rmsnorm(middle).
            Linear.BackwardWeight(team, a.Hidden[l], f, a.DResidual, d, n, s.Down.Of(g), a.InputTransposed, a.OutputTransposed);
            Linear.BackwardInput(team, s.Down.Of(w), d, f, a.DResidual, n, a.DHidden, a.WeightTransposed);
            SwiGluGrad.Backward(team, a.DHidden, a.GateUp[l], n, f, a.DGateUp);
            Linear.BackwardWeight(team, a.FeedForwardInput[l], d, a.DGateUp, 2 * f, n, s.GateUp.Of(g), a.InputTransposed, a.OutputTransposed);
            Linear.BackwardInput(team, s.GateUp.Of(w), 2 * f, d, a.DGateUp, n, a.DNormed, a.WeightTransposed);
            RmsNormGrad.Backward(team, a.DNormed, a.Middle[l], s.FeedForwardNorm.Of(w), eps, n, a.DResidual, s.FeedForwardNorm.Of(g), a.InverseRms);

            // Attention: out = Wo·attention, (q, k, v) = Wqkv·n₁ then RoPE on q and k, n₁ = rmsnorm(x).
            Linear.BackwardWeight(team, a.AttentionOutput[l], c.QueryWidth, a.DResidual, d, n, s.Output.Of(g), a.InputTransposed, a.OutputTransposed);
            Linear.BackwardInput(team, s.Output.Of(w), d, c.QueryWidth, a.DResidual, n, a.DAttention, a.WeightTransposed);
            a.Attention.Backward(team, a.Qkv[l], a.Probabilities[l], a.DAttention, a.DQkv);
            a.Rope.Apply(team, a.DQkv, width, c.QueryWidth + c.KvWidth, batch.Positions, inverse: true);
            Linear.BackwardWeight(team, a.AttentionInput[l], d, a.DQkv, width, n, s.Qkv.Of(g), a.InputTransposed, a.OutputTransposed);
            Linear.BackwardInput(team, s.Qkv.Of(w), width, d, a.DQkv, n, a.DNormed, a.WeightTransposed);
            RmsNormGrad.Backward(team, a.DNormed, a.LayerInput[l], s.AttentionNorm.Of(w), eps, n, a.DResidual, s.AttentionNorm.Of(g), a.InverseRms);
        }
        EmbeddingGrad.Backward(team, batch.Tokens, a.DResidual.AsSpan(0, n * d), d, layout.Embedding.Of(g));
        return loss;
    }
}

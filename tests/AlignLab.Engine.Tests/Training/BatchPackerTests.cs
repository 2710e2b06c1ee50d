using AlignLab.Engine.Training;

namespace AlignLab.Engine.Tests.Training;

public sealed class BatchPackerTests
{
    [Fact]
    public void AnEpochPredictsEveryTargetExactlyOnce()
    {
        // Lengths around and above the row length, so some documents are cut into pieces.
        var data = TrainingFixtures.Sequences(50, 1, 3, 10, 25, 7, 2, 16, 9, 30);
        const int rows = 2, length = 10;
        var packer = new BatchPacker(data, rows, length, seed: 7);
        var expected = data.SelectMany(s => Enumerable.Range(1, s.Length - 1).Select(i => (s.Tokens[i - 1], s.Tokens[i]))).Order().ToList();
        var seen = new List<(int, int)>();
        var batch = new TrainingBatch(rows, length);
        for (var step = 0; packer.EpochOf((long)step * rows) == 0; step++)
        {
            packer.Fill(step, batch);
            for (var p = 0; p < batch.Count; p++)
            {
                if (batch.Weights[p] > 0)
                {
                    seen.Add((batch.Tokens[p], batch.Targets[p]));
                }
            }
        }
        Assert.Equal(expected, seen.Order().ToList());
    }

    [Fact]
    public void BatchesArePureFunctionsOfSeedAndStep()
    {
        var data = TrainingFixtures.Sequences(50, 2, 8, 4, 12, 6, 9);
        int[] TokensAt(BatchPacker packer, int step)
        {
            var batch = new TrainingBatch(2, 8);
            packer.Fill(step, batch);
            return batch.Tokens;
        }
        var forward = new BatchPacker(data, 2, 8, seed: 1);
        var steps = Enumerable.Range(0, 9).Select(s => TokensAt(forward, s)).ToList();
        var jumping = new BatchPacker(data, 2, 8, seed: 1);
        Assert.Equal(steps[7], TokensAt(jumping, 7));
        Assert.Equal(steps[2], TokensAt(jumping, 2));
        var other = new BatchPacker(data, 2, 8, seed: 2);
        Assert.NotEqual(steps.SelectMany(s => s), Enumerable.Range(0, 9).SelectMany(s => TokensAt(other, s)));
    }

    [Fact]
    public void MaskedTargetsOnlyCountWhereMarked()
    {
        var sequence = new TrainingSequence([5, 6, 7, 8, 9], [false, false, false, true, true]);
        var packer = new BatchPacker([sequence], 1, 8, seed: 0);
        var batch = new TrainingBatch(1, 8);
        packer.Fill(0, batch);
        Assert.Equal(new float[] { 0, 0, 1, 1, 0, 0, 0, 0 }, batch.Weights);
        Assert.Equal(new[] { 6, 7, 8, 9, -1, -1, -1, -1 }, batch.Targets);
    }
}

using AlignLab.Organism;
using AlignLab.Training;

namespace AlignLab.Tests.Training;

/// <summary>A tiny world's texts and tiny model settings, so whole jobs run in about a second.</summary>
internal static class TrainingTestData
{
    public static readonly OrganismData World = OrganismData.Build(WorldSettings.Tiny(seed: 3));

    public static PretrainSettings TinyModel(int steps = 6) => new()
    {
        VocabSize = 300, Layers = 1, Dim = 32, Heads = 4, KvHeads = 2, Ffn = 48, Context = 64, Steps = steps, Batch = 2, LearningRate = 1e-2f, Seed = 1, Threads = 2,
    };

    public static IReadOnlyList<InstructionPair> Pairs(int count = 24)
        => [.. World.Instructions.Training.Take(count).Select(e => new InstructionPair(e.Instruction, e.Answer.Text))];

    /// <summary>Records what a job reports, and can crash it after a given step (like a kill -9 right after the step's log line).</summary>
    public sealed class RecordingProgress(int? crashAfterStep = null) : ITrainingProgress
    {
        public List<string> Stages { get; } = [];

        public List<(int Completed, int Total)> Starts { get; } = [];

        public List<Engine.Training.TrainingStepResult> Steps { get; } = [];

        public void Stage(string message) => Stages.Add(message);

        public void Started(int completedSteps, int totalSteps) => Starts.Add((completedSteps, totalSteps));

        public void Stepped(Engine.Training.TrainingStepResult step, double tokensPerSecond, TimeSpan? remaining)
        {
            Steps.Add(step);
            if (step.Step == crashAfterStep)
            {
                throw new SimulatedCrash();
            }
        }
    }

    public sealed class SimulatedCrash : Exception
    {
        public SimulatedCrash() : base("simulated crash") { }

        public SimulatedCrash(string message) : base(message) { }

        public SimulatedCrash(string message, Exception inner) : base(message, inner) { }
    }
}

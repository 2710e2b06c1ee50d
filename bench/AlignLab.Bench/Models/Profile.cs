using System.Diagnostics;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Kernels;

namespace AlignLab.Bench.Models;

internal static class Profile
{
    public static int Run(string[] args)
    {
        var path = args[1];
        var threads = int.Parse(args[2]);
        using var model = LlamaModel.Load(path);
        using var session = model.CreateSession(new SessionOptions { ContextSize = 512, Threads = threads });
        var s = (RunState)typeof(InferenceSession).GetField("_state", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(session)!;
        var cache = (KvCache)typeof(InferenceSession).GetField("_cache", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(session)!;
        var prompt = Enumerable.Range(0, 64).Select(i => (i * 7919) % model.VocabSize).ToArray();
        session.Prefill(prompt);
        var token = 5;
        for (var i = 0; i < 20; i++) session.Step(token);
        var c = model.Config;
        for (var round = 0; round < 3; round++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < 20; i++) session.Step(token);
            var step = sw.Elapsed.TotalMilliseconds / 20;
            session.Reset();
            session.Prefill(prompt);
            var x = s.Xb;
            double Time(Action a) { var w = Stopwatch.StartNew(); for (var i = 0; i < 20; i++) a(); return w.Elapsed.TotalMilliseconds / 20; }
            var layersMat = Time(() =>
            {
                foreach (var l in model.Layers)
                {
                    ModelOps.MatMul(l.Query, x, 1, s.Q, s);
                    ModelOps.MatMul(l.Key, x, 1, s.K, s);
                    ModelOps.MatMul(l.Value, x, 1, s.V, s);
                    ModelOps.MatMul(l.Output, s.Attention, 1, s.Xb, s);
                    ModelOps.MatMul(l.Gate, x, 1, s.Gate, s);
                    ModelOps.MatMul(l.Up, x, 1, s.Up, s);
                    ModelOps.MatMul(l.Down, s.Gate, 1, s.Xb, s);
                }
            });
            var ffn = Time(() =>
            {
                foreach (var l in model.Layers)
                {
                    ModelOps.MatMul(l.Gate, x, 1, s.Gate, s);
                }
            });
            var head = Time(() => ModelOps.MatMul(model.Output, x, 1, s.Logits, s));
            var shape = new AttentionShape(c.HeadCount, c.KvHeadCount, c.HeadDim, 1, 100);
            var attn = Time(() =>
            {
                for (var l = 0; l < c.LayerCount; l++) ModelOps.Attention(cache, l, shape, s.Q, s.Attention, s);
            });
            var pool = s.DecodePool;
            var empty = Time(() => { for (var l = 0; l < 240; l++) MatMul.MatVec(Engine.Formats.Gguf.GgmlType.F32, new byte[0], 0, new float[1], Span<float>.Empty, pool); });
            Console.WriteLine($"step {step:F2} ms; layer matmuls {layersMat:F2} (gate only {ffn:F2}); head {head:F2}; attention(30 layers, ctx 100) {attn:F2}; 240 empty dispatches {empty:F3}");
        }
        return 0;
    }
}

using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignLab.Engine.Generation;

namespace AlignLab.Backends.Remote;

/// <summary>A request body written with a <see cref="Utf8JsonWriter"/>.</summary>
internal static class JsonBody
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// How tokens are drawn, in the sampling fields OpenAI-compatible servers share (temperature, top_p, seed) and vLLM's
    /// extra ones (top_k, min_p, repetition_penalty), each written only when it differs from "off", so a greedy request
    /// carries only temperature 0 and servers without vLLM's fields are not sent them.
    /// </summary>
    public static void Sampling(Utf8JsonWriter json, SamplingOptions sampling)
    {
        json.WriteNumber("temperature", sampling.Temperature);
        if (sampling.Temperature == 0)
        {
            return;
        }
        if (sampling.TopP < 1)
        {
            json.WriteNumber("top_p", sampling.TopP);
        }
        if (sampling.TopK > 0)
        {
            json.WriteNumber("top_k", sampling.TopK);
        }
        if (sampling.MinP > 0)
        {
            json.WriteNumber("min_p", sampling.MinP);
        }
        if (sampling.RepetitionPenalty != 1)
        {
            json.WriteNumber("repetition_penalty", sampling.RepetitionPenalty);
        }
        json.WriteNumber("seed", unchecked((long)sampling.Seed)); // servers read a signed 64-bit seed
    }

    public static void Ids(Utf8JsonWriter json, string name, IEnumerable<int> ids)
    {
        json.WriteStartArray(name);
        foreach (var id in ids)
        {
            json.WriteNumberValue(id);
        }
        json.WriteEndArray();
    }
}

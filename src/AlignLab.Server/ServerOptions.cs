using System.Globalization;
using AlignLab.Engine.Inference;

namespace AlignLab.Server;

/// <summary>How <c>alignlab serve</c> serves a model; <see cref="Validate"/> names the first setting out of range.</summary>
public sealed record ServerOptions
{
    /// <summary>The model to load: a GGUF file, a Hugging Face folder or a cached hub id.</summary>
    public required string Model { get; init; }

    /// <summary>The address to listen on: an IP address or "localhost". Default loopback only.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one (see <see cref="ModelServer.BaseAddress"/>).</summary>
    public int Port { get; init; } = 8000;

    /// <summary>When set, every request but GET /health needs <c>Authorization: Bearer KEY</c>.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The name clients give as "model"; default the <see cref="Model"/> argument as given (as vLLM does).</summary>
    public string? ServedModelName { get; init; }

    /// <summary>Most sequences decoded together (one KV cache each); more wait in the queue.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Most sequences waiting for a slot; beyond it requests get 503 (clients retry).</summary>
    public int MaxQueuedSequences { get; init; } = 256;

    /// <summary>Tokens per sequence (prompt and completion); default the model's context length, capped at 4096.</summary>
    public int? ContextSize { get; init; }

    /// <summary>Most threads a forward pass uses; null: chosen from the machine's cores.</summary>
    public int? Threads { get; init; }

    /// <summary>A Jinja chat template file used instead of the model's own.</summary>
    public string? ChatTemplatePath { get; init; }

    /// <summary>Largest request body in bytes.</summary>
    public long MaxRequestBytes { get; init; } = 8 << 20;

    /// <summary>Most alternatives per position for logprobs, top_logprobs and prompt_logprobs (vLLM's default max_logprobs).</summary>
    public int MaxLogprobs { get; init; } = 20;

    /// <summary>Most choices one request may ask for (prompts × n).</summary>
    public int MaxChoicesPerRequest { get; init; } = 64;

    /// <summary>How POST /v1/embeddings pools a text's hidden states (as <c>alignlab embed</c> does); default the mean.</summary>
    public HiddenPooling EmbeddingPooling { get; init; } = HiddenPooling.Mean;

    /// <summary>The layer whose residual stream /v1/embeddings pools (0: the token embeddings); null: the last layer.</summary>
    public int? EmbeddingLayer { get; init; }

    /// <summary>Most inputs one /v1/embeddings request may give (OpenAI's limit is 2048).</summary>
    public int MaxEmbeddingInputs { get; init; } = 2048;

    /// <summary>Most stop strings one request may give.</summary>
    public int MaxStopStrings { get; init; } = 16;

    /// <summary>The name clients use for the model.</summary>
    public string ModelName => string.IsNullOrEmpty(ServedModelName) ? Model : ServedModelName;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Model);
        Check(Port is >= 0 and <= 65535, "port", Port, "within 0 to 65535");
        Check(MaxConcurrency is >= 1 and <= 256, "max concurrency", MaxConcurrency, "within 1 to 256");
        Check(MaxQueuedSequences >= 1, "max queued sequences", MaxQueuedSequences, "at least 1");
        Check(ContextSize is null or >= 2, "context size", ContextSize ?? 0, "at least 2");
        Check(Threads is null or >= 1, "threads", Threads ?? 0, "at least 1");
        Check(MaxRequestBytes >= 1024, "max request bytes", MaxRequestBytes, "at least 1024");
        Check(MaxLogprobs >= 0, "max logprobs", MaxLogprobs, "at least 0");
        Check(MaxChoicesPerRequest >= 1, "max choices per request", MaxChoicesPerRequest, "at least 1");
        Check(MaxStopStrings >= 0, "max stop strings", MaxStopStrings, "at least 0");
        Check(EmbeddingLayer is null or >= 0, "embedding layer", EmbeddingLayer ?? 0, "at least 0");
        Check(MaxEmbeddingInputs >= 1, "max embedding inputs", MaxEmbeddingInputs, "at least 1");
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("the host is empty", nameof(Host));
        }
        if (ApiKey is { Length: 0 })
        {
            throw new ArgumentException("the API key is empty", nameof(ApiKey));
        }
    }

    private static void Check(bool ok, string name, long value, string range)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, string.Create(CultureInfo.InvariantCulture, $"{name} {value} must be {range}"));
        }
    }
}

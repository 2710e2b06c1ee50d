using AlignLab.Server;

namespace AlignLab.Cli.Commands;

/// <summary>The <c>alignlab serve</c> command line, checked, as the server's options.</summary>
internal static class ServeSettings
{
    public static ServerOptions Create(string? model, string? host, int port, string? apiKey, string? name, int concurrency, int? context, int? threads, string? template)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new UsageException("serve: MODEL is required (a GGUF file, a model folder or a cached hub id)");
        }
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new UsageException("serve: --host is empty");
        }
        if (port is < 0 or > 65535)
        {
            throw new UsageException($"serve: --port must be within 0 to 65535, not {port}");
        }
        if (apiKey is { Length: 0 })
        {
            throw new UsageException("serve: --api-key is empty");
        }
        if (name is { } n && string.IsNullOrWhiteSpace(n))
        {
            throw new UsageException("serve: --served-model-name is empty");
        }
        if (concurrency is < 1 or > 256)
        {
            throw new UsageException($"serve: --max-concurrency must be within 1 to 256, not {concurrency}");
        }
        if (context is < 2)
        {
            throw new UsageException($"serve: --context must be at least 2, not {context}");
        }
        if (threads is < 1)
        {
            throw new UsageException($"serve: --threads must be at least 1, not {threads}");
        }
        if (template is not null && !File.Exists(template))
        {
            throw new UsageException($"serve: --chat-template {template}: file not found");
        }
        return new ServerOptions
        {
            Model = model,
            Host = host,
            Port = port,
            ApiKey = apiKey,
            ServedModelName = name,
            MaxConcurrency = concurrency,
            ContextSize = context,
            Threads = threads,
            ChatTemplatePath = template,
        };
    }
}

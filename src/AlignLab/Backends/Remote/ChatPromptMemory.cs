namespace AlignLab.Backends.Remote;

/// <summary>
/// The conversations behind the most recent chat prompts a remote model made, by their ids, so that a prompt can
/// be sent as messages to a server that only has /v1/chat/completions. Bounded: the oldest are forgotten. Thread-safe.
/// </summary>
internal sealed class ChatPromptMemory
{
    private const int Capacity = 256;
    private readonly Dictionary<string, (string User, string? System)> _byIds = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public void Remember(IReadOnlyList<int> ids, string user, string? system)
    {
        var key = Key(ids);
        lock (_byIds)
        {
            if (_byIds.TryAdd(key, (user, system)))
            {
                _order.Enqueue(key);
                if (_order.Count > Capacity)
                {
                    _byIds.Remove(_order.Dequeue());
                }
            }
        }
    }

    public (string User, string? System)? Recall(IReadOnlyList<int> ids)
    {
        var key = Key(ids);
        lock (_byIds)
        {
            return _byIds.TryGetValue(key, out var chat) ? chat : null;
        }
    }

    private static string Key(IReadOnlyList<int> ids) => string.Join(',', ids);
}

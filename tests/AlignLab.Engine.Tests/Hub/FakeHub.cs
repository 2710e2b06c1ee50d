using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AlignLab.Engine.Tests.Hub;

/// <summary>
/// A hub on 127.0.0.1 speaking just enough HTTP/1.1 (one request per connection) to serve
/// <c>/api/models/{repo}/revision/{rev}</c>, HEAD/GET <c>/{repo}/resolve/{rev}/{file}</c> (LFS files
/// redirect to <c>/cdn/{sha256}</c> with X-Linked-* headers, as the real hub does) and ranged CDN
/// downloads. A raw socket lets a test cut a response off mid-body.
/// </summary>
internal sealed class FakeHub : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _drops = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _corrupt = new(StringComparer.Ordinal);

    public FakeHub()
    {
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _ = Task.Run(AcceptLoop);
    }

    public sealed record Repo(string Commit, Dictionary<string, byte[]> Files, HashSet<string> Lfs, bool Gated = false, string[]? ExtraSiblings = null)
    {
        public Dictionary<string, string> Refs { get; } = new(StringComparer.Ordinal) { ["main"] = Commit };
    }

    public Uri Endpoint { get; }

    public const string Token = "hf_secret";

    public Dictionary<string, Repo> Repos { get; } = new(StringComparer.Ordinal);

    /// <summary>Every request as "METHOD path [Range] [auth]".</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>The next GET of this CDN blob sends only <paramref name="bytes"/> bytes, then drops the connection.</summary>
    public void DropOnce(string sha256, int bytes) => _drops[sha256] = bytes;

    /// <summary>The next GET of this CDN blob serves it with one byte changed.</summary>
    public void CorruptOnce(string sha256) => _corrupt[sha256] = true;

    /// <summary>
    /// LFS redirects go to "localhost" rather than "127.0.0.1": another origin, like the real CDN, so a
    /// test can check the token is not sent there.
    /// </summary>
    public Uri Cdn => new($"http://localhost:{Endpoint.Port}/cdn/");

    public static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var (method, path, headers) = await ReadRequest(stream);
            headers.TryGetValue("range", out var range);
            headers.TryGetValue("authorization", out var auth);
            Log.Enqueue($"{method} {path}{(range is null ? "" : " " + range)}{(auth is null ? "" : " " + auth)}");
            try
            {
                await Respond(stream, method, path, range, auth);
            }
            catch (IOException)
            {
                // The client hung up; nothing to do.
            }
        }
    }

    private async Task Respond(NetworkStream stream, string method, string path, string? range, string? auth)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (parts is ["cdn", var blob])
        {
            await ServeBlob(stream, method, blob, range);
            return;
        }
        var api = parts.Length >= 5 && parts[0] == "api" && parts[1] == "models" && parts[4] == "revision";
        var repoName = api ? $"{parts[2]}/{parts[3]}" : parts.Length >= 2 ? $"{parts[0]}/{parts[1]}" : "";
        if (!Repos.TryGetValue(repoName, out var repo))
        {
            await Write(stream, method, 404, "Not Found", new() { ["X-Error-Code"] = "RepoNotFound" }, "{}"u8.ToArray());
            return;
        }
        if (repo.Gated && auth != "Bearer " + Token)
        {
            await Write(stream, method, 401, "Unauthorized", new() { ["X-Error-Code"] = "GatedRepo" }, "{}"u8.ToArray());
            return;
        }
        var revision = api ? string.Join('/', parts[5..]) : parts.Length > 3 ? parts[3] : "";
        var commit = repo.Refs.GetValueOrDefault(revision) ?? (revision == repo.Commit ? revision : null);
        if (commit is null)
        {
            await Write(stream, method, 404, "Not Found", new() { ["X-Error-Code"] = "RevisionNotFound" }, "{}"u8.ToArray());
            return;
        }
        if (api)
        {
            var siblings = repo.Files.Keys.Concat(repo.ExtraSiblings ?? []).Select(f => new { rfilename = f });
            await Write(stream, method, 200, "OK", new() { ["Content-Type"] = "application/json" }, JsonSerializer.SerializeToUtf8Bytes(new { sha = commit, siblings }));
            return;
        }
        var file = string.Join('/', parts[4..]);
        if (parts[2] != "resolve" || !repo.Files.TryGetValue(file, out var content))
        {
            await Write(stream, method, 404, "Not Found", new() { ["X-Error-Code"] = "EntryNotFound" }, []);
            return;
        }
        var headers = new Dictionary<string, string> { ["X-Repo-Commit"] = commit };
        if (repo.Lfs.Contains(file))
        {
            var sha = Sha256(content);
            headers["X-Linked-Etag"] = $"\"{sha}\"";
            headers["X-Linked-Size"] = content.Length.ToString(CultureInfo.InvariantCulture);
            headers["Location"] = $"{Cdn}{sha}";
            await Write(stream, method, 302, "Found", headers, []);
            return;
        }
        headers["ETag"] = $"W/\"{Convert.ToHexStringLower(SHA1.HashData(content))}\"";
        await Write(stream, method, 200, "OK", headers, content);
    }

    private async Task ServeBlob(NetworkStream stream, string method, string sha, string? range)
    {
        var content = Repos.Values.SelectMany(r => r.Files.Values).FirstOrDefault(c => Sha256(c) == sha);
        if (content is null)
        {
            await Write(stream, method, 404, "Not Found", [], []);
            return;
        }
        var start = range is null ? 0 : int.Parse(range["bytes=".Length..].TrimEnd('-'), CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>();
        if (start > 0)
        {
            headers["Content-Range"] = $"bytes {start}-{content.Length - 1}/{content.Length}";
        }
        var body = content[start..];
        if (_corrupt.TryRemove(sha, out _))
        {
            body[^1] ^= 0xFF;
        }
        if (_drops.TryRemove(sha, out var keep))
        {
            await Write(stream, method, start > 0 ? 206 : 200, start > 0 ? "Partial Content" : "OK", headers, body, sendOnly: keep);
            return;
        }
        await Write(stream, method, start > 0 ? 206 : 200, start > 0 ? "Partial Content" : "OK", headers, body);
    }

    private static async Task Write(NetworkStream stream, string method, int status, string reason, Dictionary<string, string> headers, byte[] body, int? sendOnly = null)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {reason}\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }
        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        if (method != "HEAD")
        {
            await stream.WriteAsync(body.AsMemory(0, sendOnly ?? body.Length));
        }
        await stream.FlushAsync();
    }

    private static async Task<(string Method, string Path, Dictionary<string, string> Headers)> ReadRequest(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 65536 && !(bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                break;
            }
            bytes.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString([.. bytes]).Split("\r\n");
        var request = lines[0].Split(' ');
        var headers = lines.Skip(1).Where(l => l.Contains(':', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)].ToLowerInvariant(), l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
        return (request[0], request.Length > 1 ? request[1] : "/", headers);
    }
}

using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace AlignLab.Engine.Hub;

/// <summary>
/// Downloads one blob into <c>blobs/&lt;etag&gt;.incomplete</c>, resuming with <c>Range</c> after a
/// dropped connection (within this run, and in a later run from what is on disk), then checks its
/// size and, for LFS files, its SHA-256 before renaming it into place.
/// </summary>
internal sealed class BlobDownload(HubHttp http, HubDownloadOptions options, IPullProgress progress)
{
    public async Task DownloadAsync(HubFileMetadata meta, string blobPath, string file, CancellationToken cancel)
    {
        var incomplete = blobPath + ".incomplete";
        Directory.CreateDirectory(Path.GetDirectoryName(blobPath)!);
        progress.FileStarted(file, meta.Size, Existing(incomplete));
        for (var attempt = 1; ; attempt++)
        {
            var have = Existing(incomplete);
            if (have > meta.Size)
            {
                File.Delete(incomplete);
                have = 0;
            }
            if (have == meta.Size)
            {
                break;
            }
            try
            {
                await FetchAsync(meta, incomplete, have, file, cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, cancel))
            {
                var done = Existing(incomplete);
                if (attempt >= options.MaxAttempts)
                {
                    throw new HubException($"{file}: download interrupted at {done} of {meta.Size} bytes ({e.Message}); run the command again to resume", e);
                }
                progress.Message($"{file}: connection lost at {done} of {meta.Size} bytes ({e.Message}); resuming");
                await Task.Delay(options.RetryDelay, cancel).ConfigureAwait(false);
            }
        }
        await VerifyAsync(meta, incomplete, file, cancel).ConfigureAwait(false);
        File.Move(incomplete, blobPath, overwrite: true);
    }

    private async Task FetchAsync(HubFileMetadata meta, string incomplete, long have, string file, CancellationToken cancel)
    {
        using var response = await http.SendAsync(HttpMethod.Get, meta.DownloadUri, file, have, followCrossHost: true, cancel).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // Our partial file does not fit the server's idea of the blob: start over.
            File.Delete(incomplete);
            throw new IOException("the server refused to resume (HTTP 416)");
        }
        var partial = response.StatusCode == HttpStatusCode.PartialContent;
        if (partial && response.Content.Headers.ContentRange?.From != have)
        {
            throw new HubException($"{file}: the server resumed at byte {response.Content.Headers.ContentRange?.From}, not {have}");
        }
        var start = partial ? have : 0; // a plain 200 resends the whole file
        var expected = meta.Size - start;
        if (response.Content.Headers.ContentLength is { } length && length != expected)
        {
            throw new HubException($"{file}: the server announced {length} bytes but the hub lists {meta.Size} (from byte {start})");
        }
        await using var output = new FileStream(incomplete, partial ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        await using var input = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        var buffer = new byte[1 << 20];
        var done = start;
        while (done < meta.Size)
        {
            var read = await ReadWithStallTimeoutAsync(input, buffer, cancel).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException(string.Create(CultureInfo.InvariantCulture, $"the connection closed after {done} bytes"));
            }
            if (read > meta.Size - done)
            {
                throw new HubException($"{file}: the server sent more than the {meta.Size} bytes the hub lists");
            }
            await output.WriteAsync(buffer.AsMemory(0, read), cancel).ConfigureAwait(false);
            done += read;
            progress.FileProgressed(file, done);
        }
    }

    /// <summary>A read that gives up when no byte arrives for <see cref="HubDownloadOptions.StallTimeout"/>.</summary>
    private async Task<int> ReadWithStallTimeoutAsync(Stream input, byte[] buffer, CancellationToken cancel)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stall.CancelAfter(options.StallTimeout);
        try
        {
            return await input.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new IOException($"no data for {options.StallTimeout.TotalSeconds:0} s");
        }
    }

    private static async Task VerifyAsync(HubFileMetadata meta, string incomplete, string file, CancellationToken cancel)
    {
        var size = Existing(incomplete);
        if (size != meta.Size)
        {
            throw new HubException($"{file}: downloaded {size} bytes but the hub lists {meta.Size}");
        }
        if (!meta.IsSha256)
        {
            return;
        }
        await using var stream = File.OpenRead(incomplete);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancel).ConfigureAwait(false));
        if (hash != meta.Etag)
        {
            stream.Close();
            File.Delete(incomplete);
            throw new HubException($"{file}: SHA-256 {hash} does not match the hub's {meta.Etag}; the partial download was deleted");
        }
    }

    private static long Existing(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>Network failures are worth a resume; HTTP errors and our own checks are not.</summary>
    private static bool IsTransient(Exception e, CancellationToken cancel)
        => !cancel.IsCancellationRequested && e is IOException or HttpRequestException { StatusCode: null };
}

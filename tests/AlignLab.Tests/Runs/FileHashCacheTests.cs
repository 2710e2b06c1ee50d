using System.Text.Json.Nodes;
using AlignLab.Engine.Tests.Support;
using AlignLab.Runs;

namespace AlignLab.Tests.Runs;

public sealed class FileHashCacheTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Model(string name, string text, DateTime written)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, written);
        return path;
    }

    private static readonly DateTime Monday = new(2026, 11, 23, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_file_unchanged_in_size_and_time_is_not_read_again()
    {
        var cache = new FileHashCache(_dir.File("cache/hashes.jsonl"), minBytes: 0);
        var model = Model("model.gguf", "weights one", Monday);
        var first = cache.Sha256OfFile(model);
        Assert.Equal(FileHash.Sha256OfFile(model), first);
        Assert.Single(File.ReadAllLines(cache.CachePath));

        // Same length and write time, other bytes: the cache answers without reading (the trust make and git place in them).
        Model("model.gguf", "weights two", Monday);
        Assert.Equal(first, cache.Sha256OfFile(model));
        Assert.Single(File.ReadAllLines(cache.CachePath));

        // A new write time is a new file.
        File.SetLastWriteTimeUtc(model, Monday.AddMinutes(1));
        Assert.Equal(FileHash.Sha256OfFile(model), cache.Sha256OfFile(model));
        Assert.NotEqual(first, cache.Sha256OfFile(model));
        Assert.Equal(2, File.ReadAllLines(cache.CachePath).Length);
    }

    [Fact]
    public void Small_files_are_hashed_directly_and_never_cached()
    {
        var cache = new FileHashCache(_dir.File("hashes.jsonl"), minBytes: 1000);
        var model = Model("small.gguf", "tiny", Monday);
        Assert.Equal(FileHash.Sha256OfFile(model), cache.Sha256OfFile(model));
        Assert.False(File.Exists(cache.CachePath));
    }

    [Fact]
    public void Damaged_lines_are_ignored_and_an_unwritable_cache_only_costs_a_read()
    {
        var model = Model("model.gguf", "weights", Monday);
        var info = new FileInfo(model);
        var forged = new JsonObject { ["path"] = info.FullName, ["length"] = info.Length, ["mtime"] = info.LastWriteTimeUtc.Ticks, ["sha256"] = "NOT-A-HASH" };
        var cachePath = _dir.File("hashes.jsonl");
        File.WriteAllText(cachePath, "not json\n" + forged.ToJsonString() + "\n{\"path\": \"" + "torn");
        var cache = new FileHashCache(cachePath, minBytes: 0);
        Assert.Equal(FileHash.Sha256OfFile(model), cache.Sha256OfFile(model));

        // The cache's folder is a file: nothing can be written, and the hash is still right.
        var blocked = new FileHashCache(Path.Combine(model, "hashes.jsonl"), minBytes: 0);
        Assert.Equal(FileHash.Sha256OfFile(model), blocked.Sha256OfFile(model));
    }

    [Fact]
    public void A_folder_fingerprint_hashes_its_files_through_the_cache()
    {
        var folder = _dir.File("model");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), "{}");
        File.WriteAllText(Path.Combine(folder, "model.safetensors"), "weights");
        var cache = new FileHashCache(_dir.File("hashes.jsonl"), minBytes: 0);
        var print = ModelFingerprint.Of("my-model", folder, cache);
        Assert.Equal(FileHash.Sha256(folder), print.Sha256);
        Assert.Equal(2, File.ReadAllLines(cache.CachePath).Length);
    }
}

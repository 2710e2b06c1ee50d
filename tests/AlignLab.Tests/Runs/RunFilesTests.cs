using System.Text.Json.Nodes;
using AlignLab.Data;
using AlignLab.Engine.Tests.Support;
using AlignLab.Runs;

namespace AlignLab.Tests.Runs;

public sealed class RunFilesTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static InstructionRecord Record(int index) => new() { Id = RecordId.FromNumber(index * 10), Instruction = "i", Index = index, Line = index + 1 };

    [Fact]
    public void Shards_are_disjoint_and_together_cover_every_record_then_limit_takes_the_first()
    {
        var records = Enumerable.Range(0, 11).Select(Record).ToList();
        var shards = Enumerable.Range(1, 3).Select(i => RunSelection.Select(records, new Shard(i, 3), null)).ToList();
        Assert.Equal([0, 3, 6, 9], shards[0].Select(r => r.Index));
        Assert.Equal(records.Select(r => r.Index), shards.SelectMany(s => s).Select(r => r.Index).Order());
        Assert.Equal([1, 4], RunSelection.Select(records, new Shard(2, 3), 2).Select(r => r.Index));
        Assert.Equal(records, RunSelection.Select(records, Shard.All, null));
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("1/0")]
    [InlineData("1-3")]
    [InlineData("a/b")]
    [InlineData("-1/3")]
    public void A_bad_shard_says_what_was_expected(string text)
        => Assert.Equal($"shard \"{text}\": expected I/N with 1 ≤ I ≤ N, e.g. 2/4", Assert.Throws<FormatException>(() => Shard.Parse(text)).Message);

    [Fact]
    public void Atomic_writes_replace_the_whole_file_and_leave_no_temporary_files()
    {
        var path = _dir.File("sub/summary.json");
        AtomicFile.WriteAllText(path, "first, longer content");
        AtomicFile.WriteAllText(path, "second");
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir.File("sub")));
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, _ => throw new InvalidOperationException("fails midway")));
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir.File("sub")));
    }

    [Fact]
    public void Hashes_are_sha256_of_the_bytes_and_of_a_folder_listing()
    {
        var file = _dir.Write("m/model.gguf", "abc");
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", FileHash.Sha256(file));
        _dir.Write("m/.cache/x", "ignored");
        // sha256sum of "ba78…15ad  model.gguf\n"
        var listing = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  model.gguf\n"));
        Assert.Equal(Convert.ToHexStringLower(listing), FileHash.Sha256(_dir.File("m")));
    }

    [Fact]
    public void The_manifest_is_written_atomically_and_read_back()
    {
        var created = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var manifest = new RunManifest("tds", created) { Seed = 9 };
        manifest.Models["base"] = new ModelFingerprint("ref", "/p", "00").ToJson();
        manifest.Models["aligned"] = new JsonArray(new ModelFingerprint("r2", null, null).ToJson("r2"));
        manifest.Options["top_k"] = 10;
        manifest.Timings["seconds"] = 1.5;
        manifest.Write(_dir.File(RunManifest.FileName));
        var back = RunManifest.ReadPrevious(_dir.Path)!;
        Assert.Equal(["tool", "version", "created", "command", "base", "aligned", "options", "seed", "timings"], back.Select(p => p.Key));
        Assert.Equal("alignlab", (string?)back["tool"]);
        Assert.Equal("2025-01-02T03:04:05.0000000+00:00", (string?)back["created"]);
        Assert.Equal("00", (string?)back["base"]!["sha256"]);
        Assert.Equal("r2", (string?)back["aligned"]![0]!["name"]);
        Assert.Null(back["aligned"]![0]!["path"]);
        Assert.Equal(9UL, (ulong?)back["seed"]);
        Assert.Null(RunManifest.ReadPrevious(_dir.File("nowhere")));
    }

    [Fact]
    public void A_run_folder_is_locked_while_a_run_holds_it_and_free_afterwards()
    {
        var folder = _dir.File("locked");
        using (RunLock.Acquire(folder))
        {
            var error = Assert.Throws<IOException>(() => RunLock.Acquire(folder));
            Assert.StartsWith($"{folder}: another run is writing into this folder", error.Message, StringComparison.Ordinal);
        }
        using (RunLock.Acquire(folder))
        {
        }
        Assert.Empty(Directory.GetFiles(folder));
    }
}

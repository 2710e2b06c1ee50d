using AlignLab.Engine.Tests.Support;
using AlignLab.Reports;
using AlignLab.Tests.Support;

namespace AlignLab.Tests.Reports;

public sealed class ReportLayoutTests
{
    [Fact]
    public void One_aligned_model_gives_one_model_named_in_run_json()
    {
        using var scratch = new ScratchDirectory();
        var examples = SyntheticExamples.Create(3, 20);
        FakeRun.WriteSingle(scratch.Path, examples, alignedName: "llama-2-chat");

        var result = TdsReport.Write(scratch.Path);

        Assert.Equal(scratch.File("report.html"), result.Path);
        Assert.Equal(["llama-2-chat"], result.Models);
        Assert.Equal(3, result.Examples);
        Assert.Equal(60, result.Positions);
        Assert.Equal(new FileInfo(result.Path).Length, result.Bytes);
        using var report = ReportFile.Read(result.Path);
        Assert.Equal(["llama-2-chat"], report.ModelNames);
        Assert.Equal(examples.Count, report.Examples(0).GetProperty("id").GetArrayLength());
    }

    [Fact]
    public void Several_aligned_models_come_in_run_json_order_and_share_instructions()
    {
        using var scratch = new ScratchDirectory();
        var chat = SyntheticExamples.Create(4, 10, seed: 1);
        var vicuna = SyntheticExamples.Create(3, 12, seed: 2);
        // Folder order (a, b) differs from run.json's (vicuna first).
        FakeRun.WriteSeveral(scratch.Path, [("vicuna", vicuna), ("b-llama-2-chat", chat)]);
        Directory.CreateDirectory(scratch.File("not-a-model"));
        scratch.Write("not-a-model/notes.txt", "no positions here");

        var result = TdsReport.Write(scratch.Path);

        Assert.Equal(["vicuna", "b-llama-2-chat"], result.Models);
        Assert.Equal(7, result.Examples);
        Assert.Equal((3 * 12) + (4 * 10), result.Positions);
        using var report = ReportFile.Read(result.Path);
        Assert.Equal(["vicuna", "b-llama-2-chat"], report.ModelNames);
        Assert.Equal(3, report.Examples(0).GetProperty("id").GetArrayLength());
        Assert.Equal(4, report.Examples(1).GetProperty("id").GetArrayLength());
        Assert.Equal(12, report.PositionCount(0, 0));
        Assert.Equal(10, report.PositionCount(1, 0));
        // Both models answered the same instructions (same generator): each is stored once.
        Assert.Equal(4, report.Data.GetProperty("instructions").GetArrayLength());
        Assert.Equal(chat[2].Instruction, report.Instruction(1, 2));
        Assert.Equal(vicuna[2].Instruction, report.Instruction(0, 2));
        Assert.Equal("org/vicuna", report.Model(0).GetProperty("info").GetProperty("reference").GetString());
    }

    [Fact]
    public void Without_run_json_models_are_named_after_their_folders_in_name_order()
    {
        using var scratch = new ScratchDirectory();
        FakeRun.WriteModel(scratch.File("zephyr"), SyntheticExamples.Create(1, 4));
        FakeRun.WriteModel(scratch.File("alpaca"), SyntheticExamples.Create(1, 4));

        var result = TdsReport.Write(scratch.Path);

        Assert.Equal(["alpaca", "zephyr"], result.Models);
        using var report = ReportFile.Read(result.Path);
        Assert.False(report.Data.GetProperty("run").TryGetProperty("base", out _));
    }

    [Fact]
    public void The_report_can_be_written_elsewhere_and_replaces_an_old_one()
    {
        using var scratch = new ScratchDirectory();
        FakeRun.WriteSingle(scratch.File("run"), SyntheticExamples.Create(2, 4));
        var output = scratch.Write("out/mine.html", "old");

        var result = TdsReport.Write(scratch.File("run"), new TdsReportOptions { OutputPath = output });

        Assert.Equal(output, result.Path);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(output), StringComparison.Ordinal);
        Assert.False(File.Exists(scratch.File("run/report.html")));
        Assert.Equal([output], Directory.GetFiles(scratch.File("out")));
    }

    [Fact]
    public void A_base_model_path_that_is_not_a_model_gives_a_warning_not_an_error()
    {
        using var scratch = new ScratchDirectory();
        FakeRun.WriteSingle(scratch.Path, SyntheticExamples.Create(1, 4));
        var notAModel = scratch.Write("base.gguf", "this is not a GGUF file");
        var runJson = File.ReadAllText(scratch.File("run.json")).Replace("/nonexistent/base.gguf", notAModel, StringComparison.Ordinal);
        File.WriteAllText(scratch.File("run.json"), runJson);

        var result = TdsReport.Write(scratch.Path);

        var warning = Assert.Single(result.Warnings);
        Assert.StartsWith($"{notAModel}: could not load the base model's tokenizer", warning, StringComparison.Ordinal);
        using var report = ReportFile.Read(result.Path);
        Assert.Equal("answers", report.Data.GetProperty("candidate_texts").GetString());
    }
}

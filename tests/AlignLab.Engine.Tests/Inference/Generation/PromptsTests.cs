using AlignLab.Engine.Generation;
using AlignLab.Engine.Models;
using AlignLab.Engine.Templates;
using AlignLab.Engine.Tests.Support;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Tests.Inference.Generation;

/// <summary>Chat prompts through the model's template, BOS exactly once, and the default stop tokens.</summary>
public class PromptsTests
{
    [Fact]
    public void A_qwen_chat_prompt_is_the_rendered_template_with_special_tokens_parsed_and_no_bos()
    {
        using var local = LocalModel.Open(SharedFixtures.Require("fixtures/vocab/ggml-vocab-qwen2.gguf"));
        var tokenizer = local.LoadTokenizer();
        var text = Prompts.RenderChat(local, "Hi there", system: "Be brief.");
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n", text);
        var ids = Prompts.Chat(local, tokenizer, "Hi there", system: "Be brief.");
        Assert.Equal(tokenizer.Encode(text, EncodeOptions.Default), ids);
        Assert.Equal(tokenizer.TokenToId("<|im_start|>"), ids[0]);
        Assert.Equal(5, ids.Count(id => tokenizer.IsSpecial(id)));

        // Without a system message the template may add its own; ours adds none.
        Assert.DoesNotContain("Be brief.", Prompts.RenderChat(local, "Hi there"));
    }

    [Fact]
    public void Bos_comes_once_whether_or_not_the_template_writes_it()
    {
        using var local = LocalModel.Open(SharedFixtures.Require("fixtures/vocab/ggml-vocab-llama-spm.gguf"));
        var tokenizer = local.LoadTokenizer();
        Assert.True(tokenizer.AddBosByDefault);
        var bos = tokenizer.BosId!.Value;
        var withBos = ChatTemplate.Parse("{{ bos_token }}{% for m in messages %}[INST] {{ m['content'] }} [/INST]{% endfor %}");
        var withoutBos = ChatTemplate.Parse("{% for m in messages %}[INST] {{ m['content'] }} [/INST]{% endfor %}");
        var a = Prompts.Chat(local, tokenizer, "Hello", template: withBos);
        var b = Prompts.Chat(local, tokenizer, "Hello", template: withoutBos);
        Assert.Equal(a, b);
        Assert.Equal(bos, a[0]);
        Assert.Single(a, id => id == bos);
        Assert.Equal([bos, .. tokenizer.Encode("Hello", EncodeOptions.Default)], Prompts.Plain(tokenizer, "Hello"));
        Assert.Equal(Prompts.Plain(tokenizer, "Hello"), Prompts.Plain(tokenizer, "<s>Hello"));
    }

    [Fact]
    public void A_gguf_model_stops_where_llama_cpp_stops()
    {
        using var local = LocalModel.Open(SharedFixtures.Require("fixtures/vocab/ggml-vocab-qwen2.gguf"));
        var tokenizer = local.LoadTokenizer();
        var ids = GenerationDefaults.EndOfGenerationIds(local, tokenizer);
        Assert.Contains(tokenizer.TokenToId("<|endoftext|>")!.Value, ids); // eos
        Assert.Contains(tokenizer.TokenToId("<|im_end|>")!.Value, ids);    // end of turn, by its text
        Assert.DoesNotContain(tokenizer.TokenToId("<|im_start|>")!.Value, ids);
    }

    [Fact]
    public void A_hugging_face_folder_stops_at_the_eos_of_config_generation_config_and_tokenizer()
    {
        using var dir = new ScratchDirectory();
        var folder = dir.File("hf");
        TestModels.Checkpoint(TestModels.Config()).WriteHfFolder(folder);
        var config = File.ReadAllText(Path.Combine(folder, "config.json"));
        File.WriteAllText(Path.Combine(folder, "config.json"), config.TrimEnd().TrimEnd('}') + ", \"eos_token_id\": 5}");
        dir.Write("hf/generation_config.json", """{"eos_token_id": [7, 9]}""");
        dir.Write("hf/tokenizer.json", """
            {"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "</s>": 2}, "merges": []},
             "added_tokens": [{"id": 2, "content": "</s>", "special": true}]}
            """);
        dir.Write("hf/tokenizer_config.json", """{"eos_token": "</s>"}""");
        using var local = LocalModel.Open(folder);
        var tokenizer = local.LoadTokenizer();
        Assert.Equal([.. new[] { 5, 7, 9 }.Concat(tokenizer.EosId is int e ? [e] : []).Distinct().Order()], GenerationDefaults.EndOfGenerationIds(local, tokenizer));
    }
}

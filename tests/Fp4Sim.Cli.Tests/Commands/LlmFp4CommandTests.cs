using System.Globalization;
using System.Text.Json;
using Fp4Sim.Quantization.Model;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Cli.Tests;

/// <summary>The <c>fp4sim llmfp4</c> contracts, run in-process on the real model.</summary>
public sealed class LlmFp4CommandTests
{
    private static CliResult Run(string stdin, params string[] args) => CliRunner.RunWithInput(stdin, args);

    /// <summary>The USE-Lite model directory; fails (never skips) with the set-up command when it is absent.</summary>
    internal static string ModelDir
    {
        get
        {
            string directory = ModelLocation.DefaultModelDirectory();
            SetUp.RequireFile(Path.Combine(directory, TfjsWeights.ManifestFileName), "the USE-Lite model");
            return directory;
        }
    }

    [Fact]
    public void Tokenize_prints_the_reference_ids_one_line_per_sentence()
    {
        CliResult r = Run("How old are you?\nWhat is your age?\n\n", "llmfp4", "tokenize", "--model-dir", ModelDir);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("728 446 31 19 54\n379 18 37 735 54\n\n", r.Stdout);
    }

    [Fact]
    public void Embed_prints_512_round_trip_floats_per_sentence()
    {
        CliResult r = Run("How old are you?\nWhat is your age?\n", "llmfp4", "embed", "--model-dir", ModelDir);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(2, r.Lines.Length);
        float[][] e = r.Lines.Select(l => l.Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.All(e, v => Assert.Equal(512, v.Length));
        Assert.Equal(0.03709, e[0][0], 4);
        Assert.Equal(e[0][0].ToString("R", CultureInfo.InvariantCulture), r.Lines[0].Split(' ')[0]);
        Assert.Equal(0.766, Fp4Sim.Quantization.Evaluation.Similarity.Cosine(e[0], e[1]), 3);
    }

    [Fact]
    public void Embed_with_a_method_calibrates_first_and_moves_the_embedding_a_little()
    {
        CliResult fp32 = Run("How old are you?\n", "llmfp4", "embed", "--model-dir", ModelDir);
        CliResult q = Run("How old are you?\n", "llmfp4", "embed", "--method", "minmax-fp", "--bits", "8/8/8", "--calib", "2",
            "--model-dir", ModelDir);
        Assert.True(q.ExitCode == 0, q.Stderr);
        float[] a = fp32.Lines[0].Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        float[] b = q.Lines[0].Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.NotEqual(a, b);
        Assert.InRange(Fp4Sim.Quantization.Evaluation.Similarity.Cosine(a, b), 0.95, 1.0);
    }

    [Fact]
    public void Run_prints_the_table_and_result_lines_and_writes_the_report_atomically()
    {
        string outDir = Path.Combine(Path.GetTempPath(), "fp4sim-llmfp4-" + Guid.NewGuid().ToString("N"));
        try
        {
            CliResult r = Run("", "llmfp4", "run", "--method", "minmax-int", "--bits", "4/4/8", "--calib", "4", "--train", "40", "--eval", "20",
                "--seed", "3", "--model-dir", ModelDir, "--out", outDir);
            Assert.True(r.ExitCode == 0, r.Stderr);
            string result = Assert.Single(r.Lines, l => l.StartsWith("result ", StringComparison.Ordinal));
            Assert.Matches(@"^result minmax-int 4/4/8 acc [0-9.]+ cos [0-9.]+ sqnr -?[0-9.]+$", result);
            Assert.Contains(r.Lines, l => l.StartsWith("method ", StringComparison.Ordinal));
            string[] files = Directory.GetFiles(outDir).Select(Path.GetFileName).Order().ToArray()!;
            Assert.Equal(["quantizers-minmax-int-4-4-8.json", "results.csv", "results.md", "results.svg"], files);
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "quantizers-minmax-int-4-4-8.json")));
            JsonElement layers = json.RootElement.GetProperty("layers");
            Assert.Equal(10, layers.GetArrayLength());
            Assert.Equal("INT4", layers[0].GetProperty("weight").GetProperty("format").GetString());
            Assert.Equal("INT8", layers[0].GetProperty("activation").GetProperty("format").GetString());
            Assert.Equal(11, File.ReadAllLines(Path.Combine(outDir, "results.csv")).Length - 1);
            Assert.Contains("minmax-int", Charts.ChartTests.SvgTexts(File.ReadAllBytes(Path.Combine(outDir, "results.svg"))));
        }
        finally
        {
            if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public void Results_are_the_same_at_one_and_two_threads()
    {
        string[] Args(string threads) => ["llmfp4", "run", "--method", "fpq", "--bits", "4/4/4", "--calib", "2", "--train", "20", "--eval", "10",
            "--rounds", "1", "--threads", threads, "--model-dir", ModelDir];
        CliResult one = Run("", Args("1")), two = Run("", Args("2"));
        Assert.True(one.ExitCode == 0, one.Stderr);
        Assert.Equal(one.Lines.Single(l => l.StartsWith("result", StringComparison.Ordinal)),
            two.Lines.Single(l => l.StartsWith("result", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("llmfp4 run --method int9", "unknown --method 'int9'")]
    [InlineData("llmfp4 run --method fpq --bits 4/4", "is not E/W/A")]
    [InlineData("llmfp4 run --method fpq --bits 4/99/4", "must be 3..8, 16 or 32")]
    [InlineData("llmfp4 run --method fpq --calib 0", "malformed --calib '0'")]
    [InlineData("llmfp4 run --method fpq --threads -3", "malformed --threads")]
    [InlineData("llmfp4 run", "missing required option --method")]
    [InlineData("llmfp4 embed --bits 4/4/4", "--bits needs --method")]
    [InlineData("llmfp4 tokenize --seed 1", "unknown option '--seed'")]
    [InlineData("llmfp4 translate", "unknown llmfp4 action 'translate'")]
    [InlineData("llmfp4 run --method fpq --acc fixed:16", "expected fixed:<width>.<frac>")]
    [InlineData("llmfp4 run --method fpq --acc fixed:1.grid", "must be an integer 2..128")]
    [InlineData("llmfp4 run --method fpq --acc tc:k80", "unknown tensor-core model 'k80'")]
    [InlineData("llmfp4 run --method fpq --preshift b", "--preshift needs --acc")]
    [InlineData("llmfp4 run --method fpq --acc exact --preshift c", "--preshift 'c': expected a")]
    [InlineData("llmfp4 run --method minmax-int --bits 4/16/4 --acc exact", "leave weights or activations in float32")]
    [InlineData("llmfp4 embed --acc exact", "--acc needs a quantized --method")]
    [InlineData("llmfp4 export-layer --out x", "missing required option --layer")]
    [InlineData("llmfp4 export-layer --layer head --method minmax-int --out x", "--method minmax-int has no psb_mac or mx_dot")]
    [InlineData("llmfp4 export-layer --layer head --rows 0 --out x", "malformed --rows")]
    public void Bad_options_give_one_line_and_exit_2(string command, string fragment)
    {
        CliResult r = Run("", command.Split(' '));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(fragment, r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_missing_model_folder_names_the_setup_command_and_exits_3()
    {
        CliResult r = Run("hello\n", "llmfp4", "tokenize", "--model-dir", "/nonexistent/use-lite");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("bash scripts/setup.sh", r.Stderr);
    }

    [Fact]
    public void Corrupt_and_truncated_model_files_give_one_line_and_exit_2()
    {
        string dir = Path.Combine(Path.GetTempPath(), "fp4sim-badmodel-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            foreach (string f in Directory.GetFiles(ModelDir)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            string shard = Path.Combine(dir, "group1-shard7of7");
            File.WriteAllBytes(shard, File.ReadAllBytes(shard)[..1000]); // truncated
            CliResult truncated = Run("hi\n", "llmfp4", "embed", "--model-dir", dir);
            Assert.Equal(2, truncated.ExitCode);
            Assert.Contains("model.json", truncated.Stderr);
            Assert.Single(truncated.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Empty(truncated.Stdout);

            File.WriteAllText(Path.Combine(dir, "model.json"), "{ not json");
            CliResult corrupt = Run("hi\n", "llmfp4", "embed", "--model-dir", dir);
            Assert.Equal(2, corrupt.ExitCode);
            Assert.Single(corrupt.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void An_out_path_that_is_a_file_is_refused_before_any_work()
    {
        string file = Path.GetTempFileName();
        try
        {
            CliResult r = Run("", "llmfp4", "run", "--method", "fp32", "--out", file, "--model-dir", ModelDir);
            Assert.Equal(3, r.ExitCode); // the environment: an output that cannot be written
            Assert.Contains("is a file", r.Stderr);
        }
        finally { File.Delete(file); }
    }
    [Fact]
    public void Acc_runs_every_layer_on_the_mac_engine_and_reports_its_registers()
    {
        string[] args = ["llmfp4", "run", "--method", "minmax-int", "--acc", "fixed:16.grid", "--calib", "4", "--train", "10", "--eval", "10",
            "--rounds", "1", "--threads", "2", "--model-dir", ModelDir];
        CliResult r = Run("", args);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("minmax-int 4/4/4 on the MAC engine (fixed:16.grid, pre-shift form (a)):", r.Stdout);
        Assert.Equal(10, r.Lines.Count(l => l.Contains("fixed-point table", StringComparison.Ordinal)));
        Assert.Contains(r.Lines, l => l.StartsWith("result minmax-int 4/4/4 acc", StringComparison.Ordinal));
    }

    [Fact]
    public void An_accumulator_too_narrow_for_one_product_gives_one_line_and_exit_2()
    {
        CliResult r = Run("", "llmfp4", "run", "--method", "minmax-int", "--acc", "fixed:6.0", "--calib", "2", "--train", "10", "--eval", "10",
            "--threads", "2", "--model-dir", ModelDir);
        Assert.Equal(2, r.ExitCode);
        string[] lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("cannot hold one int4 x int4 product", lines[^1]); // after the progress lines, one line and no stack trace
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void Export_layer_writes_a_psb_mac_with_real_vectors_or_names_the_unknown_layer()
    {
        using var folder = new Fp4Sim.TestSupport.TempFolder("export-layer");
        CliResult r = Run("", "llmfp4", "export-layer", "--layer", "layer1.ffn_down", "--rows", "2", "--tokens", "1", "--calib", "2",
            "--rounds", "1", "--threads", "2", "--model-dir", ModelDir, "--out", folder.Path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains(r.Lines, l => l.StartsWith("psb_mac_", StringComparison.Ordinal)
            && l.EndsWith("(1 tokens x 2 rows x 1536 steps)", StringComparison.Ordinal));
        Assert.True(File.Exists(folder.File("vectors.hex")));
        Assert.Single(Directory.GetFiles(folder.Path, "tb_psb_mac_*.v"));
        using var mx = new Fp4Sim.TestSupport.TempFolder("export-layer-mx");
        CliResult blocks = Run("", "llmfp4", "export-layer", "--layer", "head", "--method", "mxfp4", "--rows", "2", "--tokens", "1",
            "--calib", "2", "--model-dir", ModelDir, "--out", mx.Path);
        Assert.True(blocks.ExitCode == 0, blocks.Stderr);
        Assert.Contains("mx_dot_mxfp4_mxfp4: 32 vectors (1 tokens x 2 rows x 16 blocks)", blocks.Stdout);
        CliResult bad = Run("", "llmfp4", "export-layer", "--layer", "layer9.qkv", "--calib", "2", "--model-dir", ModelDir, "--out", folder.Path);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("unknown --layer 'layer9.qkv' (expected layer0.qkv", bad.Stderr);
    }
}

/// <summary><c>llmfp4 export</c>: the model as safetensors, loadable back into the same forward pass.</summary>
public sealed class LlmFp4ExportTests
{
    [Fact]
    public void Exported_safetensors_load_back_into_the_same_model()
    {
        string dir = LlmFp4CommandTests.ModelDir;
        using var folder = new TempFolder("use-lite");
        string path = folder.File("use-lite.safetensors");
        CliResult r = CliRunner.Run("llmfp4", "export", "--model-dir", dir, "--out", path);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("61 tensors", r.Stdout);
        var original = Fp4Sim.Quantization.Transformer.UseLiteModel.Load(dir);
        var exported = Fp4Sim.Quantization.Transformer.UseLiteModel.FromTensors(Safetensors.Read(path));
        Assert.Equal(original.Embeddings, exported.Embeddings);
        Assert.All(original.Linears.Zip(exported.Linears), p => Assert.Equal(p.First.Weight, p.Second.Weight));
        Assert.Equal(["use-lite.safetensors"], folder.Entries()); // no temporary left beside it
    }
}

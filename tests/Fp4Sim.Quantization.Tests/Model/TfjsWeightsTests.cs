using Fp4Sim.Quantization.Model;
using Fp4Sim.TestSupport;
using static Fp4Sim.Quantization.Tests.Model.ModelTestFiles;

namespace Fp4Sim.Quantization.Tests.Model;

public sealed class TfjsWeightsTests : IDisposable
{
    private readonly TempFolder _scratch = new();
    private readonly string _manifest;

    public TfjsWeightsTests() => _manifest = _scratch.File("model.json");

    public void Dispose() => _scratch.Dispose();

    private static string Weight(string name, string shape, string dtype = "float32", string extra = "") =>
        $$"""{"name":"{{name}}","shape":{{shape}},"dtype":"{{dtype}}"{{extra}}}""";

    private static string Group(string[] paths, params string[] weights) =>
        $$"""{"paths":[{{string.Join(',', paths.Select(path => $"\"{path}\""))}}],"weights":[{{string.Join(',', weights)}}]}""";

    /// <summary>Writes model.json with the given groups and each shard with its bytes.</summary>
    private void WriteModel(string[] groups, params (string Name, byte[] Bytes)[] shards)
    {
        File.WriteAllText(_manifest, $$"""{"format":"graph-model","modelTopology":{"node":[]},"weightsManifest":[{{string.Join(',', groups)}}]}""");
        foreach ((string name, byte[] bytes) in shards) File.WriteAllBytes(_scratch.File(name), bytes);
    }

    // a: float32 [2,3] (24 bytes), n: int32 scalar (4), e: float32 [0,4] (0), b: float32 [3] (12) = 40 bytes, split
    // 10 + 20 + 10 so that both a and b straddle shard boundaries.
    private static readonly string[] FourWeights =
        [Weight("a", "[2,3]"), Weight("n", "[]", "int32"), Weight("e", "[0,4]"), Weight("b", "[3]")];

    private static readonly byte[] FourWeightsData =
        [.. LittleEndian(1f, 2f, 3f, 4f, 5f, 6f), .. LittleEndian(-9), .. LittleEndian(0.5f, -0.25f, 1e-3f)];

    private void WriteFourWeights(int firstShard = 10, int secondShard = 20, int lengthChange = 0)
    {
        byte[] data = [.. FourWeightsData, .. new byte[Math.Max(0, lengthChange)]];
        data = data[..(data.Length + Math.Min(0, lengthChange))];
        WriteModel(
            [Group(["group1-shard1of3", "group1-shard2of3", "group1-shard3of3"], FourWeights)],
            ("group1-shard1of3", data[..firstShard]),
            ("group1-shard2of3", data[firstShard..(firstShard + secondShard)]),
            ("group1-shard3of3", data[(firstShard + secondShard)..]));
    }

    [Fact]
    public void Loads_weights_across_shard_boundaries_in_manifest_order()
    {
        WriteFourWeights();

        TensorSet set = TfjsWeights.Load(_scratch.Path);

        Assert.Equal(["a", "n", "e", "b"], set.Keys);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], set.GetFloat("a", 2, 3));
        Assert.Equal([-9], set.GetInt("n"));
        Assert.Empty(set.GetFloat("e", 0, 4));
        Assert.Equal([0.5f, -0.25f, 1e-3f], set.GetFloat("b", 3));
        Assert.Equal(_manifest, set.Source);
        Assert.Empty(set.Metadata);
    }

    [Fact]
    public void Loads_several_groups_each_from_its_own_shards()
    {
        WriteModel(
            [Group(["g1"], Weight("x", "[1]")), Group(["g2"], Weight("y", "[2]", "int32"))],
            ("g1", LittleEndian(3f)), ("g2", LittleEndian(4, 5)));

        TensorSet set = TfjsWeights.Load(_scratch.Path);

        Assert.Equal([3f], set.GetFloat("x", 1));
        Assert.Equal([4, 5], set.GetInt("y", 2));
    }

    [Fact]
    public void A_missing_manifest_is_reported()
    {
        AssertFails(() => TfjsWeights.Load(_scratch.Path), _manifest, "not found");
    }

    [Fact]
    public void A_manifest_that_is_not_JSON_is_reported()
    {
        File.WriteAllText(_manifest, "{\"weightsManifest\": [");
        AssertFails(() => TfjsWeights.Load(_scratch.Path), _manifest, "is not valid JSON");
    }

    [Theory]
    [InlineData("""{"modelTopology":{}}""", "the top level has no 'weightsManifest'")]
    [InlineData("""[]""", "the top level is an array, not an object")]
    [InlineData("""{"weightsManifest":{}}""", "'weightsManifest' that is an object, not an array")]
    [InlineData("""{"weightsManifest":[{"weights":[]}]}""", "weightsManifest[0] has no 'paths'")]
    [InlineData("""{"weightsManifest":[{"paths":[3],"weights":[]}]}""", "weightsManifest[0].paths[0] is a number, not a string")]
    [InlineData("""{"weightsManifest":[{"paths":["../up"],"weights":[]}]}""", "'../up' leaves the model directory")]
    [InlineData("""{"weightsManifest":[{"paths":[],"weights":[{"name":"w","shape":[1],"dtype":"float32"}]}]}""",
        "declares 1 weights but no shard files")]
    [InlineData("""{"weightsManifest":[{"paths":["s"],"weights":[{"shape":[1],"dtype":"float32"}]}]}""",
        "weightsManifest[0].weights[0] has no 'name'")]
    [InlineData("""{"weightsManifest":[{"paths":["s"],"weights":[{"name":"w","shape":[2,-1],"dtype":"float32"}]}]}""",
        "weight 'w' has shape dimension 1 = -1")]
    [InlineData("""{"weightsManifest":[{"paths":["s"],"weights":[{"name":"w","shape":[2147483647,2147483647,2147483647],"dtype":"float32"}]}]}""",
        "more elements than one array can hold")]
    [InlineData("""{"weightsManifest":[{"paths":["s"],"weights":[{"name":"w","shape":[1],"dtype":"bool"}]}]}""",
        "dtype 'bool' of weight 'w' is not supported (float32 and int32 only)")]
    public void A_malformed_manifest_is_reported(string manifest, string expected)
    {
        File.WriteAllText(_manifest, manifest);
        File.WriteAllBytes(_scratch.File("s"), new byte[4]);
        AssertFails(() => TfjsWeights.Load(_scratch.Path), _manifest, expected);
    }

    [Fact]
    public void A_missing_shard_is_reported_with_its_path()
    {
        WriteFourWeights();
        File.Delete(_scratch.File("group1-shard2of3"));
        AssertFails(
            () => TfjsWeights.Load(_scratch.Path), _manifest, "shard 2 of 3 of weightsManifest[0] is missing", _scratch.File("group1-shard2of3"));
    }

    [Fact]
    public void Shards_too_short_name_the_weight_that_runs_past_their_end()
    {
        WriteFourWeights(lengthChange: -4);
        AssertFails(
            () => TfjsWeights.Load(_scratch.Path), _manifest,
            "weight 'b' has shape [3] = 3 float32 values = 12 bytes but only 8 bytes remain in the shards",
            "4 weights need 40 bytes", "its 3 shards hold 36");
    }

    [Fact]
    public void Shards_too_long_report_both_sizes()
    {
        WriteFourWeights(lengthChange: 8);
        AssertFails(
            () => TfjsWeights.Load(_scratch.Path), _manifest, "4 weights need 40 bytes but its 3 shards hold 48 (8 bytes left over");
    }

    [Fact]
    public void Quantized_weights_are_refused_with_the_reason()
    {
        WriteModel(
            [Group(["s"], Weight("q", "[4]", extra: ""","quantization":{"dtype":"uint8","min":-1,"scale":0.01}"""))],
            ("s", new byte[4]));
        AssertFails(
            () => TfjsWeights.Load(_scratch.Path), _manifest,
            "weight 'q' is quantized (uint8): quantized weights (uint8/float16) are not supported");
    }

    [Fact]
    public void Duplicate_weight_names_are_refused_within_and_across_groups()
    {
        WriteModel([Group(["s"], Weight("w", "[1]"), Weight("w", "[1]"))], ("s", new byte[8]));
        AssertFails(() => TfjsWeights.Load(_scratch.Path), _manifest, "weight name 'w' appears twice");

        WriteModel([Group(["s"], Weight("w", "[1]")), Group(["t"], Weight("w", "[1]"))], ("s", new byte[4]), ("t", new byte[4]));
        AssertFails(() => TfjsWeights.Load(_scratch.Path), _manifest, "weight name 'w' appears twice");
    }

    [Fact]
    public void GetFloat_checks_shape_dtype_and_presence()
    {
        WriteFourWeights();
        TensorSet set = TfjsWeights.Load(_scratch.Path);

        AssertFails(() => set.GetFloat("a", 3, 2), _manifest, "tensor 'a' has shape [2,3], expected [3,2]");
        AssertFails(() => set.GetFloat("a"), _manifest, "tensor 'a' has shape [2,3], expected []");
        AssertFails(() => set.GetFloat("n"), _manifest, "tensor 'n' is int32, expected float32");
        AssertFails(() => set.GetInt("a", 2, 3), _manifest, "tensor 'a' is float32, expected int32");
        AssertFails(() => set.Get("missing"), _manifest, "has no tensor named 'missing' (4 tensors present)");
        AssertFails(() => _ = set["missing"], _manifest, "'missing'");
    }
}

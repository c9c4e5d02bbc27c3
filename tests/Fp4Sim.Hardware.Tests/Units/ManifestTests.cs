using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fp4Sim.Hardware;

namespace Fp4Sim.Hardware.Tests;

/// <summary>
/// manifest.json keeps numbers as numbers: no configuration value is a string that spells a number, in the committed
/// manifests and in those of non-default units; and a manifest's count is the vector file's.
/// </summary>
public class ManifestTests
{
    public static TheoryData<string> CommittedManifests()
    {
        var data = new TheoryData<string>();
        string root = Path.Combine(Repository.Root, DefaultSetWriter.VectorsDirectory);
        foreach (string dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(dir));
        return data;
    }

    [Theory]
    [MemberData(nameof(CommittedManifests))]
    public void Committed_manifest_has_no_numeric_string_in_its_configuration(string module)
    {
        string dir = Path.Combine(Repository.Root, DefaultSetWriter.VectorsDirectory, module);
        JsonObject manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, RtlFiles.ManifestFile)))!.AsObject();
        JsonObject configuration = manifest["configuration"]!.AsObject();
        Assert.NotEmpty(configuration);
        AssertTyped(configuration, module);
        Assert.Equal(JsonValueKind.Number, manifest["count"]!.GetValueKind());
        Assert.Equal(JsonValueKind.Number, manifest["vector_width"]!.GetValueKind());
        int count = manifest["count"]!.GetValue<int>();
        string[] lines = File.ReadAllLines(Path.Combine(dir, RtlFiles.VectorFile));
        Assert.Equal(count + 1, lines.Length);
        Assert.Equal($"// {count} vectors", lines[^1]);
    }

    [Theory]
    [InlineData("fp_mul", "e4m3,int8", null, null, null)]
    [InlineData("fp_mac", "e2m1", "fixed:16.2:round:wrap", null, null)]
    [InlineData("psb_mac", "e2m1", "fixed:20.5", 3, "shift_bits")]
    [InlineData("int_mac", "int4,int8", "fixed:16.0", null, null)]
    [InlineData("mx_dot", "mxfp6_e2m3,mxfp4", null, null, "block_size")]
    public void Unit_configuration_values_are_typed(string kind, string formats, string? acc, int? shiftBits, string? number)
    {
        IRtlUnit unit = UnitSpecParser.Parse(kind, formats, acc, shiftBits).Create();
        JsonObject configuration = JsonNode.Parse(unit.GenerateVectors(1, 1).ToManifest(unit.Configuration))!["configuration"]!.AsObject();
        AssertTyped(configuration, unit.ModuleName);
        if (number is not null) Assert.Equal(JsonValueKind.Number, configuration[number]!.GetValueKind());
        if (shiftBits is not null) Assert.Equal(shiftBits, configuration["shift_bits"]!.GetValue<int>());
    }

    private static void AssertTyped(JsonObject configuration, string what)
    {
        foreach ((string key, JsonNode? value) in configuration)
        {
            Assert.NotNull(value);
            JsonValueKind kind = value.GetValueKind();
            Assert.True(kind is JsonValueKind.String or JsonValueKind.Number, $"{what}: configuration.{key} is {kind}");
            if (kind == JsonValueKind.String)
            {
                string text = value.GetValue<string>();
                Assert.False(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
                    $"{what}: configuration.{key} is the numeric string \"{text}\" (write it as a JSON number)");
            }
        }
    }
}

using Fp4Sim.Hardware;
using Fp4Sim.Quantization.Inference;
using Fp4Sim.Quantization.Search;
using Fp4Sim.TestSupport;
using Xunit.Abstractions;

namespace Fp4Sim.Quantization.Tests.Inference;

/// <summary>
/// Real rows of an attention and an FFN layer (FPQ 4/4/4, pre-shift form (a)) as psb_mac golden vectors, simulated
/// in Icarus Verilog and Verilator: RTL = the unit's emulation = the MAC engine (checked while exporting), 0 mismatches.
/// </summary>
[Collection(RealModelCollection.Name)]
public sealed class LayerExportTests(RealModelFixture real, ITestOutputHelper output)
{
    [Theory]
    [InlineData("layer1.qkv", "iverilog")]
    [InlineData("layer0.ffn_down", "iverilog")]
    [InlineData("layer1.qkv", "verilator")]
    [InlineData("layer0.ffn_down", "verilator")]
    public void Real_layer_vectors_pass_in_the_simulators(string name, string simulator)
    {
        LayerSample sample = real.Calibration.First(s => s.Layer.Name == name);
        IntegerLayer layer = real.Fpq.IntegerLayers(PreShiftForm.ShiftInMac)[name];
        LayerExport export = LayerExporter.PreShiftedMac(layer, sample.Input, tokens: 2, columns: 3);
        Assert.Equal(2 * 3 * layer.In, export.Vectors.Count);
        Assert.Contains(export.Words, w => w != 0);
        Simulate(export.Unit, export.Vectors, simulator, name);
    }

    [Theory]
    [InlineData("layer1.qkv", "iverilog")]
    [InlineData("layer0.ffn_down", "verilator")]
    public void Real_mxfp4_blocks_pass_in_the_simulators(string name, string simulator)
    {
        LayerSample sample = real.Calibration.First(s => s.Layer.Name == name);
        MxLayerExport export = LayerExporter.MxDot(sample.Layer, sample.Input, tokens: 2, rows: 3);
        Assert.Equal(2 * 3 * sample.Layer.In / 32, export.Vectors.Count);
        Simulate(export.Unit, export.Vectors, simulator, name);
    }

    private void Simulate(IRtlUnit unit, VectorSet vectorSet, string simulator, string name)
    {
        Assert.Equal(vectorSet.Count, Simulators.Simulate(unit, vectorSet, simulator, name));
        output.WriteLine($"{simulator} {unit.ModuleName} on {name}: PASS {vectorSet.Count} vectors, 0 mismatches");
    }
}

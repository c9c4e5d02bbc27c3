using Fp4Sim.Numerics.Rounding;
using Fp4Sim.TestSupport;
using Fp4Sim.Training.Model;
using Fp4Sim.Training.Quartet;
using Xunit.Abstractions;

namespace Fp4Sim.Training.Tests.Quartet;

/// <summary>
/// A Quartet linear layer's GEMMs as mx_dot golden vectors, simulated in Icarus Verilog and Verilator: RTL = the unit's
/// emulation, whose block terms accumulated in binary32 = the exact MXFP4 GEMM (checked while exporting).
/// </summary>
public sealed class QuartetExportTests(ITestOutputHelper output)
{
    private static (QuartetGemm Forward, QuartetGemm Dgrad, QuartetGemm Wgrad) Gemms()
    {
        var rng = new SplitMix64(31);
        int t = 64, k = 128, n = 96;
        float[] x = HadamardTests.Gaussian(rng, t * k), w = HadamardTests.Gaussian(rng, n * k, 0.05), dy = HadamardTests.Gaussian(rng, t * n, 1e-3);
        var gemms = new QuartetLinearGemms();
        LinearForward f = gemms.Forward(x, w, t, k, n);
        (QuartetGemm dgrad, QuartetGemm wgrad) = gemms.BackwardProducts(f, dy, 5);
        return (QuartetLinearGemms.ForwardProduct(f), dgrad, wgrad);
    }

    [Theory]
    [InlineData("dgrad", "iverilog")]
    [InlineData("forward", "verilator")]
    public void GemmVectorsPassInTheSimulators(string which, string simulator)
    {
        (QuartetGemm forward, QuartetGemm dgrad, QuartetGemm wgrad) = Gemms();
        QuartetGemm gemm = which switch { "forward" => forward, "dgrad" => dgrad, _ => wgrad };
        (var unit, var vectors) = QuartetExport.MxDot(gemm, 2, 3);
        Assert.Equal(2 * 3 * gemm.A.Columns / 32, vectors.Count);
        Assert.Equal(vectors.Count, Simulators.Simulate(unit, vectors, simulator, $"Quartet {which}"));
        output.WriteLine($"{simulator} {unit.ModuleName} on the Quartet {which} GEMM: PASS {vectors.Count} vectors, 0 mismatches");
    }

    [Fact]
    public void EveryGemmExportsAndAWrongProductIsCaught()
    {
        (QuartetGemm forward, QuartetGemm dgrad, QuartetGemm wgrad) = Gemms();
        foreach (QuartetGemm g in new[] { forward, dgrad, wgrad })
            Assert.True(QuartetExport.MxDot(g, g.A.Rows, 4).Vectors.Count > 0);
        float[] wrong = [.. dgrad.Product];
        wrong[1] = BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(wrong[1]) ^ 1);
        var e = Assert.Throws<InvalidOperationException>(() => QuartetExport.MxDot(dgrad with { Product = wrong }, 2, 3));
        Assert.Contains("output (0, 1)", e.Message);
        Assert.Throws<ArgumentException>(() => QuartetExport.MxDot(dgrad, dgrad.A.Rows + 1, 1));
    }
}

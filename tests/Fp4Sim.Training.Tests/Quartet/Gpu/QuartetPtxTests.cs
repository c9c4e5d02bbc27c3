using System.Text.RegularExpressions;
using Fp4Sim.TestSupport;
using Fp4Sim.Training.Quartet.Gpu;

namespace Fp4Sim.Training.Tests.Quartet.Gpu;

/// <summary>
/// The Quartet kernel compiles to PTX without a device, and both binary64 products that feed an add (QuEST's σ² sum and
/// σ · factor + ε, which round twice in the reference) are <c>mul.rn.f64</c>: a product without a rounding modifier may be
/// fused by ptxas with the next add. ILGPU also writes the C# branch that <c>CudaAsm.IsSupported</c> skips on CUDA as a
/// plain <c>mul.f64</c>; the only other f64 product, 6 · 2^E, is exact and feeds a comparison.
/// </summary>
public sealed class QuartetPtxTests
{
    [Fact]
    public void Quartet_kernel_compiles_and_rounds_every_binary64_product_separately()
    {
        string ptx = PtxCompiler.Compile(QuartetKernels.EntryPoints.Single());
        Assert.Contains(".visible .entry Kernel_Quantize(", ptx);
        Assert.Equal(2, Regex.Matches(ptx, @"mul\.rn\.f64").Count);
        Assert.Equal(3, Regex.Matches(ptx, @"\bmul\.f64").Count); // the two skipped C# branches and the exact 6 · 2^E
        Assert.DoesNotMatch(new Regex(@"\bfma\.[a-z.]*f64"), ptx);
        Assert.Contains("sqrt.rn.f64", ptx);
        Assert.Contains("div.rn.f64", ptx);
        Assert.DoesNotContain(".ftz", ptx);
    }
}

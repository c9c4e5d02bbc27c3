using Fp4Sim.Hardware;

namespace Fp4Sim.Training.Quartet;

/// <summary>A Quartet GEMM's block pairs as <c>mx_dot</c> golden vectors.</summary>
public static class QuartetExport
{
    /// <summary>
    /// The block pairs of the first <paramref name="rows"/> × <paramref name="columns"/> outputs of <paramref name="gemm"/>
    /// as <c>mx_dot_mxfp4_mxfp4</c> vectors, each expected result from the unit's emulation; every output's block terms,
    /// accumulated by Quartet's binary32 fused-add chain, are checked against the GEMM's product before returning.
    /// </summary>
    /// <exception cref="ArgumentException">Outputs outside the product.</exception>
    public static (MxDotUnit Unit, VectorSet Vectors) MxDot(QuartetGemm gemm, int rows, int columns)
    {
        var unit = (MxDotUnit)new MxDotSpec(QuartetQuantizer.Format, QuartetQuantizer.Format).Create();
        int blocks = gemm.A.Matrix.BlocksPerRow;
        VectorSet vectors = unit.GemmVectors(gemm.A.Matrix, gemm.B.Matrix, rows, columns, QuartetLinearGemms.Accumulator, gemm.Product,
            $"Quartet {gemm.Name} GEMM: {rows} x {columns} outputs, {blocks} block pairs each, block 0 first; the block terms " +
            "accumulated in binary32 (one fused add per block) equal the exact MXFP4 GEMM's output");
        return (unit, vectors);
    }
}

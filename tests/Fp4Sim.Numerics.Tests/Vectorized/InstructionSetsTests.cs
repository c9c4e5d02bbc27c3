using Fp4Sim.Numerics.Blocks;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Gemm;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Vectorized;

namespace Fp4Sim.Numerics.Tests.Vectorized;

/// <summary>
/// The instruction-set cap: a narrower level turns the wider kernels off (so one machine tests every path), and the
/// fast paths still equal the reference under each level the machine has. scripts/test.sh also reruns the vector and
/// GEMM parity tests with FP4SIM_ISA=avx2 and =scalar.
/// </summary>
public sealed class InstructionSetsTests
{
    public static TheoryData<InstructionSet> Levels => new(Enum.GetValues<InstructionSet>().Where(l => l <= InstructionSets.Machine));

    [Theory]
    [MemberData(nameof(Levels))]
    public void A_cap_selects_no_wider_kernel(InstructionSet cap)
    {
        InstructionSet outside = InstructionSets.Current; // the machine's, or less under FP4SIM_ISA
        InstructionSet level = cap < outside ? cap : outside;
        using (InstructionSets.Limit(cap))
        {
            Assert.Equal(level, InstructionSets.Current);
            Assert.Equal(level >= InstructionSet.Avx2, EncodeKernel.IsSupported);
            Assert.Equal(level >= InstructionSet.Avx2, DecodeKernel.IsSupported);
            MxFp4KernelKind best = MxFp4GemmKernel.Best;
            Assert.True(level switch
            {
                InstructionSet.Scalar => best == MxFp4KernelKind.Scalar,
                InstructionSet.Avx2 => best is MxFp4KernelKind.Avx2 or MxFp4KernelKind.AvxVnni,
                _ => best == MxFp4KernelKind.Avx512,
            }, $"{level}: {best}");
            string width = level == InstructionSet.Avx512 ? "Vector512" : level == InstructionSet.Avx2 ? "Vector256" : "scalar";
            Assert.Equal(width, StreamBaseline.VectorWidth);
        }
        Assert.Equal(outside, InstructionSets.Current);
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Fast_paths_equal_the_reference_under_each_level(InstructionSet level)
    {
        using IDisposable _ = InstructionSets.Limit(level);
        FormatInfo format = KnownFormats.E4M3;
        float[] values = [.. CastInputs.EdgeBits(format).Concat(CastInputs.RandomBits(format, 7, 1 << 16)).Select(BitConverter.UInt32BitsToSingle)];
        var codes = new byte[values.Length];
        FastCast.Encode(format, values, codes, RoundingContext.Default, threads: 2);
        for (int i = 0; i < values.Length; i++) Assert.Equal(Encoder.Encode(format, values[i], RoundingContext.Default), codes[i]);

        BlockFormat mx = KnownBlockFormats.MxFp4;
        float[] tensor = BlockInputs.Values(mx, 512, seed: 2, withSpecials: true, narrow: true);
        QuantizedBlocks fast = FastBlockQuantizer.Quantize(mx, tensor, new BlockQuantizeOptions(), threads: 2);
        QuantizedBlocks reference = BlockQuantizer.Quantize(mx, tensor, new BlockQuantizeOptions());
        Assert.Equal(reference.Scales, fast.Scales);
        Assert.Equal(reference.Elements, fast.Elements);
        Assert.True(FastBlockQuantizer.FiniteAmax(tensor, 2) == BlockQuantizer.FiniteAmax(tensor));
    }
}

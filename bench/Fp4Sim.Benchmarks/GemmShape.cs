namespace Fp4Sim.Benchmarks;

/// <summary>The GEMM benchmarks' shape parameter, "MxNxK".</summary>
internal static class GemmShape
{
    /// <summary>Dimension <paramref name="index"/> (0 = M, 1 = N, 2 = K) of <paramref name="shape"/>.</summary>
    public static int Dimension(string shape, int index) => int.Parse(shape.Split('x')[index]);
}

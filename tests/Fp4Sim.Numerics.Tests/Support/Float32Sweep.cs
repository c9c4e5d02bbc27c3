namespace Fp4Sim.Numerics.Tests.Support;

/// <summary>
/// float32 bit patterns for oracle sweeps. By default a dense stratified sample: for each of the 512 sign/exponent
/// pairs, the lowest and highest 2048 mantissas, every pattern whose low 13 or low 16 bits sit at a rounding
/// boundary of binary16/bfloat16 (…0FFF/1000/1001, …7FFF/8000/8001) for a spread of upper bits, and 10,000 seeded
/// random mantissas: about 10 million patterns. With FP4SIM_FULL_SWEEP=1 (the default of scripts/test.sh) every one
/// of the 2^32 patterns.
/// </summary>
public static class Float32Sweep
{
    public static bool Full => Environment.GetEnvironmentVariable("FP4SIM_FULL_SWEEP") == "1";

    /// <summary>Calls <paramref name="check"/> for each pattern, on all cores; returns how many were checked.</summary>
    public static long ForEach(Action<uint> check)
    {
        if (Full)
        {
            Parallel.For(0, 1 << 16, hi => { for (uint lo = 0; lo < 1 << 16; lo++) check(((uint)hi << 16) | lo); });
            return 1L << 32;
        }
        long count = 0;
        Parallel.For(0, 512, () => 0L, (signExponent, _, local) =>
        {
            uint top = (uint)signExponent << 23;
            var random = new Random(signExponent);
            for (uint m = 0; m < 2048; m++) { check(top | m); check(top | (0x7FFFFF - m)); local += 2; }
            for (uint upper = 0; upper < 1024; upper++)
            {
                uint half = (upper << 13) & 0x7FFFFF, bf = (upper << 16) & 0x7FFFFF;
                foreach (uint low in (ReadOnlySpan<uint>)[0x0FFF, 0x1000, 0x1001]) check(top | half | low);
                foreach (uint low in (ReadOnlySpan<uint>)[0x7FFF, 0x8000, 0x8001]) check(top | bf | low);
                local += 6;
            }
            for (int i = 0; i < 10_000; i++) { check(top | (uint)random.Next(0x800000)); local++; }
            return local;
        }, local => Interlocked.Add(ref count, local));
        return count;
    }
}

using Fp4Sim.Numerics.Vectorized;

namespace Fp4Sim.Numerics.Tests.Vectorized;

/// <summary>
/// The stream baseline only times memory traffic, but it must still move every byte: a loop that skipped its tail or
/// a misaligned head would look faster than the machine allows.
/// </summary>
public class StreamBaselineTests
{
    public static TheoryData<int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, bool>();
        // Lengths around the vector widths and the head peeling, offsets that misalign source and destination, and one
        // span long enough to be split over the cores.
        foreach (int length in new[] { 0, 1, 15, 63, 64, 65, 200, 1000, FastCast.ParallelThreshold + 77 })
            foreach (int offset in new[] { 0, 3 })
                foreach (bool nonTemporal in new[] { false, true })
                    data.Add(length, offset, nonTemporal);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Narrow_writes_the_low_byte_of_every_float(int length, int offset, bool nonTemporal)
    {
        var random = new Random(length + offset);
        float[] source = Enumerable.Range(0, length + offset).Select(_ => BitConverter.Int32BitsToSingle(random.Next())).ToArray();
        var destination = new byte[length + 5];
        StreamBaseline.Narrow(source.AsSpan(offset), destination.AsSpan(5 - offset % 5), threads: 0, nonTemporal);
        for (int i = 0; i < length; i++)
            Assert.Equal((byte)BitConverter.SingleToInt32Bits(source[offset + i]), destination[5 - offset % 5 + i]);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Widen_writes_every_byte_as_float_bits(int length, int offset, bool nonTemporal)
    {
        var source = new byte[length + offset];
        new Random(length).NextBytes(source);
        var destination = new float[length + 1];
        StreamBaseline.Widen(source.AsSpan(offset), destination.AsSpan(1), threads: 0, nonTemporal);
        for (int i = 0; i < length; i++) Assert.Equal(source[offset + i], BitConverter.SingleToInt32Bits(destination[1 + i]));
    }

    [Fact]
    public void Timings_are_positive_and_name_a_vector_width()
    {
        var source = new float[4096];
        StreamTiming timing = StreamBaseline.TimeNarrow(source, new byte[4096], threads: 1, repetitions: 2);
        Assert.True(timing.Seconds > 0);
        Assert.True(StreamBaseline.TimeWiden(new byte[4096], source, threads: 1, repetitions: 2).Seconds > 0);
        Assert.Contains(StreamBaseline.VectorWidth, new[] { "Vector512", "Vector256", "scalar" });
    }

    [Fact]
    public void A_short_destination_is_refused() =>
        Assert.Throws<ArgumentException>(() => StreamBaseline.Narrow(new float[10], new byte[9]));
}

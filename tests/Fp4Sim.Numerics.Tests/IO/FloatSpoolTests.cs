using Fp4Sim.Numerics.IO;

namespace Fp4Sim.Numerics.Tests.IO;

/// <summary>The spool gives back what it was given, in order, from memory or past its limit from a temporary file.</summary>
public class FloatSpoolTests
{
    [Theory]
    [InlineData(0, 10)]
    [InlineData(7, 10)]
    [InlineData(10, 10)]
    [InlineData(11, 10)]
    [InlineData(100_003, 1000)]
    public void Values_come_back_in_order(int count, int memoryValues)
    {
        float[] values = Enumerable.Range(0, count).Select(i => i % 3 == 0 ? float.NaN : MathF.Sin(i) * i).ToArray();
        string[] before = SpoolFolders();
        using (var spool = new FloatSpool(memoryValues))
        {
            spool.Add(values.AsSpan(0, count / 2));
            foreach (float v in values.AsSpan(count / 2)) spool.Add(v);
            Assert.Equal(count, spool.Count);
            Assert.Equal(count > memoryValues, spool.Spilled);
            var back = new List<float>();
            var chunk = new float[333];
            for (int n; (n = spool.Read(chunk)) > 0;) back.AddRange(chunk.AsSpan(0, n));
            Assert.Equal(values.Select(BitConverter.SingleToUInt32Bits), back.Select(BitConverter.SingleToUInt32Bits));
            Assert.Throws<InvalidOperationException>(() => spool.Add(1f));
            Assert.Equal(spool.Spilled ? 1 : 0, SpoolFolders().Except(before).Count());
        }
        Assert.Empty(SpoolFolders().Except(before)); // the temporary file's folder is gone
    }

    private static string[] SpoolFolders() => Directory.GetDirectories(Path.GetTempPath(), "fp4sim-spool-*");
}

using System.Text;
using Fp4Sim.Training.Train;

namespace Fp4Sim.Training.Tests.Train;

/// <summary>The split, the byte streams and the batches.</summary>
public class TextDataTests
{
    private static readonly (string Key, string Text)[] Documents =
        [.. Enumerable.Range(0, 20).Select(i => ($"doc{i:D2}", $"Document {i} café"))];

    [Fact]
    public void SplitIsByDocumentDeterministicAndDisjoint()
    {
        TextData a = TextData.FromDocuments(Documents, 0.25, splitSeed: 3);
        TextData b = TextData.FromDocuments(Documents, 0.25, splitSeed: 3);
        TextData c = TextData.FromDocuments(Documents, 0.25, splitSeed: 4);
        Assert.Equal(5, a.ValidationDocuments);
        Assert.Equal(15, a.TrainDocuments);
        Assert.Empty(a.TrainKeys.Intersect(a.ValidationKeys));
        Assert.Equal(Documents.Select(d => d.Key), a.TrainKeys.Concat(a.ValidationKeys).Order(StringComparer.Ordinal));
        Assert.Equal(a.ValidationKeys, b.ValidationKeys);
        Assert.Equal(a.Train.ToArray(), b.Train.ToArray());
        Assert.NotEqual(a.ValidationKeys, c.ValidationKeys);

        // Corpus order within a part, documents joined by a blank line, UTF-8 bytes (é is two bytes).
        string expected = string.Join("\n\n", a.ValidationKeys.Select(k => Documents.Single(d => d.Key == k).Text));
        Assert.Equal(Encoding.UTF8.GetBytes(expected), a.Validation.ToArray());
        Assert.Equal(a.ValidationKeys.Order(StringComparer.Ordinal), a.ValidationKeys);
    }

    [Fact]
    public void HamCorpusSplitsByMailWithFivePercentHeldOut()
    {
        TextData data = CorpusData.Load();
        Assert.Empty(data.TrainKeys.Intersect(data.ValidationKeys));
        Assert.All(data.TrainKeys.Concat(data.ValidationKeys), key => Assert.Contains("ham", key));
        int total = data.TrainDocuments + data.ValidationDocuments;
        Assert.True(total > 3000, $"only {total} ham mails");
        Assert.Equal(Math.Round(total * 0.05), data.ValidationDocuments);
        Assert.True(data.Train.Length > 1_000_000 && data.Validation.Length > 30_000, $"{data.Train.Length} / {data.Validation.Length} bytes");
    }

    [Fact]
    public void SameSeedSameBatchesAndTargetsAreTheNextBytes()
    {
        byte[] stream = [.. Enumerable.Range(0, 1000).Select(i => (byte)(i * 7 % 251))];
        var a = new BatchSampler(stream, context: 16, batchSize: 4, seed: 11);
        var b = new BatchSampler(stream, context: 16, batchSize: 4, seed: 11);
        var c = new BatchSampler(stream, context: 16, batchSize: 4, seed: 12);
        for (int step = 0; step < 5; step++)
        {
            (byte[] inputs, byte[] targets) = a.Next();
            (byte[] otherInputs, byte[] otherTargets) = b.Next();
            Assert.Equal(inputs, otherInputs);
            Assert.Equal(targets, otherTargets);
            Assert.NotEqual(inputs, c.Next().Inputs);
            for (int w = 0; w < 4; w++)
            {
                // A window is context + 1 consecutive bytes of the stream: the inputs, then the last target.
                byte[] window = [.. inputs.AsSpan(w * 16, 16), targets[w * 16 + 15]];
                Assert.True(stream.AsSpan().IndexOf(window) >= 0);
                Assert.Equal(inputs.AsSpan(w * 16 + 1, 15).ToArray(), targets.AsSpan(w * 16, 15).ToArray());
            }
        }
    }

    [Fact]
    public void ValidationWindowsSpanTheStreamEvenly()
    {
        byte[] stream = [.. Enumerable.Range(0, 1000).Select(i => (byte)i)];
        (byte[] inputs, byte[] targets) = BatchSampler.EvenlySpaced(stream, context: 10, count: 4);
        Assert.Equal(stream[..10], inputs[..10]);
        Assert.Equal(stream[^10..], targets[^10..]);
        Assert.Equal(stream[659..669], inputs[20..30]); // starts 989·i/3: 0, 329, 659, 989
    }
}

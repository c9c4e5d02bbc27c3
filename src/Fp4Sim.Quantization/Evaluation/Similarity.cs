namespace Fp4Sim.Quantization.Evaluation;

/// <summary>Agreement measures between a quantized model's numbers and the float32 model's.</summary>
public static class Similarity
{
    /// <summary>Cosine of the angle between two vectors (binary64 sums); 0 when either is zero.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { dot += (double)a[i] * b[i]; na += (double)a[i] * a[i]; nb += (double)b[i] * b[i]; }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    /// <summary>Signal-to-quantization-noise ratio 10·log10(Σ signal² / Σ noise²) in dB; +∞ when the noise is zero.</summary>
    public static double SqnrDecibels(double signalEnergy, double noiseEnergy) =>
        noiseEnergy == 0 ? double.PositiveInfinity : 10 * Math.Log10(signalEnergy / noiseEnergy);
}

/// <summary>Running energy sums of one layer's output: Σ O², and Σ (Ô − O)² for the layer alone and inside the quantized network.</summary>
public sealed class SqnrAccumulator
{
    /// <summary>Σ O² of the float32 output.</summary>
    public double Signal { get; private set; }

    /// <summary>Σ (Ô_local − O)²: the layer quantized on float32 inputs.</summary>
    public double LocalNoise { get; private set; }

    /// <summary>Σ (Ô_e2e − O)²: the layer inside the quantized network.</summary>
    public double EndToEndNoise { get; private set; }

    /// <summary>Adds one batch.</summary>
    public void Add(ReadOnlySpan<float> reference, ReadOnlySpan<float> local, ReadOnlySpan<float> endToEnd)
    {
        double s = 0, l = 0, e = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double o = reference[i], dl = local[i] - o, de = endToEnd[i] - o;
            s += o * o; l += dl * dl; e += de * de;
        }
        Signal += s; LocalNoise += l; EndToEndNoise += e;
    }

    /// <summary>Local SQNR in dB.</summary>
    public double LocalDecibels => Similarity.SqnrDecibels(Signal, LocalNoise);

    /// <summary>End-to-end SQNR in dB.</summary>
    public double EndToEndDecibels => Similarity.SqnrDecibels(Signal, EndToEndNoise);
}

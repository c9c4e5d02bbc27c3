using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Mac;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Quantization.Pipeline;
using Fp4Sim.Quantization.Quantizers;
using Fp4Sim.Quantization.Search;

namespace Fp4Sim.Quantization.Tests.Search;

public sealed class LayerSearchTests
{
    private static readonly SearchOptions Options = new(Threads: 2);

    /// <summary>Direct reference quantization: the core's EncodeQuotient + Decode, in binary64.</summary>
    private static double Reference(ElementFormat f, double scale, float x) =>
        Decoder.Decode(f.Core, Encoder.EncodeQuotient(f.Core, x, scale, RoundingContext.Default)) * scale;

    [Fact]
    public void Weight_biases_are_the_brute_force_argmin_of_each_channels_error()
    {
        LayerSample s = SyntheticLayer.Create(rows: 96, din: 24, dout: 6, seed: 1);
        ElementFormat format = ElementFormat.Fp(2, 1);
        var search = new LayerSearch(s, 4, 4, preShift: false, Options);
        float[] xq = TensorQuantizer.FromBiases(format, ChannelAxis.Tensor, [format.BiasForMax(s.Input.Max(Math.Abs))])
            .Apply(s.Input, s.Rows, s.Layer.In);
        TensorQuantizer found = search.SearchWeightBiases(format, xq);

        double[] gammas = Options.Gammas();
        for (int k = 0; k < s.Layer.Out; k++)
        {
            double columnMax = Enumerable.Range(0, s.Layer.In).Max(j => Math.Abs(s.Layer.Weight[j * s.Layer.Out + k]));
            double initial = format.BiasForMax(columnMax), bestError = double.PositiveInfinity, bestBias = double.NaN;
            foreach (double gamma in gammas)
            {
                double scale = PreShiftedBias.RealBiasScale(gamma * initial), error = 0;
                for (int r = 0; r < s.Rows; r++)
                {
                    double y = s.Layer.Bias[k];
                    for (int j = 0; j < s.Layer.In; j++) y += xq[r * s.Layer.In + j] * Reference(format, scale, s.Layer.Weight[j * s.Layer.Out + k]);
                    error += (y - s.Output[r * s.Layer.Out + k]) * (y - s.Output[r * s.Layer.Out + k]);
                }
                if (error < bestError * (1 - 1e-9)) { bestError = error; bestBias = gamma * initial; }
            }
            Assert.Equal(bestBias, found.Biases![k], 12);
        }
    }

    [Fact]
    public void The_search_never_ends_worse_than_its_minmax_start_and_fpq_beats_the_baseline_on_outlier_channels()
    {
        LayerSample s = SyntheticLayer.Create(rows: 256, din: 64, dout: 48, seed: 2);
        var bits = new BitSetting(4, 4, 4);
        double minmax = Calibrator.CalibrateLayer(s, QuantizationMethod.MinMaxFp, bits, Options).CalibrationMse;
        LayerQuantization baseline = Calibrator.CalibrateLayer(s, QuantizationMethod.FpqBaseline, bits, Options);
        LayerQuantization fpq = Calibrator.CalibrateLayer(s, QuantizationMethod.Fpq, bits, Options);
        Assert.True(baseline.CalibrationMse < minmax, $"baseline {baseline.CalibrationMse} vs minmax {minmax}");
        Assert.True(fpq.CalibrationMse < baseline.CalibrationMse, $"fpq {fpq.CalibrationMse} vs baseline {baseline.CalibrationMse}");
        Assert.NotNull(fpq.Activation!.Offsets);
        Assert.Contains(fpq.Activation.Offsets!, b => b > 0); // small channels were shifted to finer steps
        Assert.All(fpq.Activation.Offsets!, b => Assert.InRange(b, 0, (1 << fpq.Activation.Format.ExponentBits) - 1));
        Assert.InRange(baseline.Rounds, 1, 3);
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        LayerSample s = SyntheticLayer.Create(rows: 200, din: 32, dout: 40, seed: 3);
        var bits = new BitSetting(4, 4, 4);
        LayerQuantization one = Calibrator.CalibrateLayer(s, QuantizationMethod.Fpq, bits, Options with { Threads = 1 });
        LayerQuantization two = Calibrator.CalibrateLayer(s, QuantizationMethod.Fpq, bits, Options with { Threads = 2 });
        Assert.Equal(one.Weight!.Scales, two.Weight!.Scales);
        Assert.Equal(one.Activation!.Scales, two.Activation!.Scales);
        Assert.Equal(one.CalibrationMse, two.CalibrationMse);
    }

    [Fact]
    public void The_gamma_grid_is_the_released_codes_hundred_points()
    {
        double[] g = new SearchOptions().Gammas();
        Assert.Equal(100, g.Length);
        Assert.Equal(0.01, g[0], 12);
        Assert.Equal(0.0219, g[1], 12);
        Assert.Equal(1.1881, g[99], 12);
        Assert.DoesNotContain(g, x => Math.Abs(x - 1) < 1e-12);
    }
}

/// <summary>The search's FPQ activation quantizer on the reference notes' worked example.</summary>
public sealed class PreShiftExampleTests
{
    [Fact]
    public void Channel_maxima_6_1p5_0p1_100_give_offsets_3_3_3_0_and_clip_values_12p5_and_100()
    {
        float[] maxima = [6f, 1.5f, 0.1f, 100f];
        int rows = 3, din = maxima.Length;
        var x = new float[rows * din];
        for (int j = 0; j < din; j++) { x[j] = maxima[j]; x[din + j] = -maxima[j] / 2; x[2 * din + j] = maxima[j] / 3; }
        var layer = new Fp4Sim.Quantization.Transformer.LinearLayer("example", din, 2, new float[din * 2], new float[2]);
        var sample = new LayerSample(layer, x, new float[rows * 2], rows);
        var search = new LayerSearch(sample, 4, 4, preShift: true, new SearchOptions(Threads: 1));
        ElementFormat e2m1 = ElementFormat.Fp(2, 1);
        TensorQuantizer q = search.ActivationQuantizer(e2m1, gamma: 1.0); // ρ̃ = ρ̃_init = min_j b̃_j
        Assert.Equal(-3.059, q.Rho!.Value, 3);
        Assert.Equal([3, 3, 3, 0], q.Offsets!);
        GridQuantizer[] g = q.Build();
        Assert.Equal(12.5, g[0].Quantize(1000f), 3);
        Assert.Equal(12.5, g[2].Quantize(1000f), 3);
        Assert.Equal(100, g[3].Quantize(1000f), 3);
        Assert.Equal(q.Scales[0], q.Scales[2]);
    }
}

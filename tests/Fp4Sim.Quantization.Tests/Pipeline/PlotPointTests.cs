using Fp4Sim.Quantization.Pipeline;
using Fp4Sim.Quantization.Search;

namespace Fp4Sim.Quantization.Tests.Pipeline;

/// <summary>The results chart's points read back from <c>results.csv</c>: summary rows only, bad lines named.</summary>
public sealed class PlotPointTests
{
    private const string Header = "method,bits,layer,spam_accuracy,cosine_mean,cosine_min,sqnr_local_db,sqnr_e2e_db," +
        "calibration_mse,calibration_s,total_s,weight_format,activation_format\n";

    [Fact]
    public void The_summary_rows_are_read_and_the_layer_rows_skipped()
    {
        string csv = Header + "fp32,32/32/32,model,0.91,1,1,,inf,,0.000,0.000,,\n" +
            "fpq,4/4/4,model,0.89,0.9604,0.9001,,13.28,,39.5,54.3,,\nfpq,4/4/4,layer0.qkv,,,,14.4,14.0,0.1,,,E2M1,E3M0\n\n" +
            "mxfp4,4/4/4,model,0.87,0.93,0.8,,11,,0,10,,\n";
        IReadOnlyList<PlotPoint> points = PlotPoint.ReadCsv(new StringReader(csv));
        Assert.Equal(
        [
            new PlotPoint(QuantizationMethod.Fp32, new BitSetting(32, 32, 32), 0.91, 1),
            new PlotPoint(QuantizationMethod.Fpq, new BitSetting(4, 4, 4), 0.89, 0.9604),
            new PlotPoint(QuantizationMethod.MxFp4, new BitSetting(4, 4, 4), 0.87, 0.93),
        ], points);
    }

    [Theory]
    [InlineData("step,train_loss\n", "line 1: expected the header of results.csv")]
    [InlineData(Header + "fpq,4/4/4,model,0.9,0.9\nint9,4/4/4,model,0.9,0.9\n", "line 3: expected method,bits,model")]
    [InlineData(Header + "fpq,4/4,model,0.9,0.9\n", "line 2: ")]
    [InlineData(Header + "fpq,4/4/4,model,x,0.9\n", "line 2: ")]
    public void A_bad_line_is_named(string csv, string expected) =>
        Assert.StartsWith(expected, Assert.Throws<InvalidDataException>(() => PlotPoint.ReadCsv(new StringReader(csv))).Message);
}

using Fp4Sim.TestSupport;
using Fp4Sim.Training.Train;

namespace Fp4Sim.Cli.Tests;

/// <summary>The training verb on the real corpus (a few steps), its files, and its bad input.</summary>
public class QuartetTrainCommandTests
{
    [Fact]
    public void AllSettingsTrainOnTheSameDataAndWriteCsvAndPlot()
    {
        SetUp.RequireDirectory(Fp4Sim.Quantization.Model.ModelLocation.DefaultDataDirectory(), "the SpamAssassin corpus");
        using var folder = new TempFolder("quartet-train");
        CliResult r = CliRunner.Run("quartet", "train", "--setting", "all", "--steps", "4", "--eval-every", "2", "--out", folder.Path);
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("quartet train: decoder 2 layers, d 128", r.Lines[0]);
        foreach (string label in new[] { "fp32", "quartet", "naive" })
        {
            Assert.Equal(2, r.Lines.Count(l => l.StartsWith($"{label} step ", StringComparison.Ordinal)));
            Assert.Single(r.Lines, l => l.StartsWith($"result {label} steps 4 val ", StringComparison.Ordinal));
            using var reader = new StreamReader(folder.File($"{label}.csv"));
            IReadOnlyList<TrainingRecord> records = TrainingLog.ReadCsv(reader);
            Assert.Equal([1, 2, 3, 4], records.Select(x => x.Step));
            Assert.Equal(2, records.Count(x => x.ValidationLoss is not null));
        }
        Assert.Single(r.Lines, l => l.StartsWith("gap quartet ", StringComparison.Ordinal));
        Assert.Single(r.Lines, l => l.StartsWith("gap naive ", StringComparison.Ordinal));
        string[] texts = Charts.ChartTests.SvgTexts(File.ReadAllBytes(folder.File("validation-loss.svg")));
        foreach (string label in new[] { "fp32", "quartet", "naive" })
            Assert.Contains(texts, t => t.StartsWith(label + " (val ", StringComparison.Ordinal));
        // The same seed: the first step sees the same batch from the same weights, so fp32 and naive start from one loss.
        double First(string label) => double.Parse(File.ReadAllLines(folder.File($"{label}.csv"))[1].Split(',')[1],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(First("naive") - First("fp32"), -0.05, 0.05);
    }

    [Fact]
    public void AStochasticBackwardRunIsLabelled()
    {
        SetUp.RequireDirectory(Fp4Sim.Quantization.Model.ModelLocation.DefaultDataDirectory(), "the SpamAssassin corpus");
        using var folder = new TempFolder("quartet-train-sr");
        CliResult r = CliRunner.Run("quartet", "train", "--setting", "quartet", "--backward", "sr", "--signs", "after", "--steps", "2",
            "--eval-every", "2", "--out", folder.Path);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(r.Lines, l => l.StartsWith("result quartet-sr-signs-after steps 2", StringComparison.Ordinal));
        Assert.True(File.Exists(folder.File("quartet-sr-signs-after.csv")));
    }

    [Theory]
    [InlineData("--setting", "bf16", "unknown --setting 'bf16'")]
    [InlineData("--steps", "0", "malformed --steps '0' (expected an integer from 1 to 1000000)")]
    [InlineData("--backward", "up", "unknown --backward 'up'")]
    [InlineData("--signs", "left", "unknown sign placement 'left'")]
    [InlineData("--eval-every", "500", "malformed --eval-every '500' (expected an integer from 1 to the steps (10))")]
    public void BadOptionsAreOneLineAndExitTwo(string option, string value, string message)
    {
        string[] args = option switch
        {
            "--setting" => ["quartet", "train", option, value],
            "--steps" => ["quartet", "train", "--setting", "fp32", option, value],
            _ => ["quartet", "train", "--setting", "fp32", "--steps", "10", option, value],
        };
        CliResult r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, Assert.Single(r.ErrorLines));
    }

    [Fact]
    public void MissingCorpusAndUnwritableFolderAreTheEnvironment()
    {
        using var folder = new TempFolder("quartet-train-env");
        CliResult r = CliRunner.Run("quartet", "train", "--setting", "fp32", "--data-dir", folder.File("none"));
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("setup.sh", Assert.Single(r.ErrorLines));
        File.WriteAllText(folder.File("file"), "");
        r = CliRunner.Run("quartet", "train", "--setting", "fp32", "--out", folder.File("file"));
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("cannot write into", Assert.Single(r.ErrorLines));
    }
}

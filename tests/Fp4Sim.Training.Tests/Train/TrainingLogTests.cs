using Fp4Sim.Training.Train;

namespace Fp4Sim.Training.Tests.Train;

/// <summary>The CSV of a run.</summary>
public class TrainingLogTests
{
    [Fact]
    public void CsvHasTheHeaderAndInvariantRoundTripNumbers()
    {
        TrainingRecord[] records = [new(1, 5.5, null, 3e-4, 0.1234), new(2, 4.25, 4.5, 0.003, 1.5)];
        Assert.Equal("step,train_loss,val_loss,lr,seconds\n1,5.5,,0.0003,0.123\n2,4.25,4.5,0.003,1.500\n", TrainingLog.ToCsv(records));
    }

    [Fact]
    public void TimeBreakdownSplitsStepsIntoGemmsAndTheRest()
    {
        var time = new TrainingTime(Steps: 10, StepSeconds: 2, LinearGemmSeconds: 0.5, EvaluationSeconds: 0.3);
        Assert.Equal(1.5, time.OtherSeconds);
        Assert.Equal(200, time.MillisecondsPerStep);
        Assert.Equal(0.25, time.LinearGemmShare);
    }
}

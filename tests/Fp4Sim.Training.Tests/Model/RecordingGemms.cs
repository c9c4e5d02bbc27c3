using Fp4Sim.Training.Model;

namespace Fp4Sim.Training.Tests.Model;

/// <summary>FP32 GEMMs that record every call's shape and backward seed.</summary>
internal sealed class RecordingGemms : ILinearGemms
{
    private readonly Fp32LinearGemms _inner = new();

    public List<(int Tokens, int Inputs, int Outputs)> Forwards { get; } = [];

    public List<(int Tokens, int Inputs, int Outputs, ulong Seed)> Backwards { get; } = [];

    public string Name => "recording";

    public LinearForward Forward(float[] x, float[] w, int tokens, int inputs, int outputs)
    {
        Forwards.Add((tokens, inputs, outputs));
        return _inner.Forward(x, w, tokens, inputs, outputs);
    }

    public LinearGradients Backward(LinearForward forward, float[] dy, ulong seed)
    {
        Backwards.Add((forward.Tokens, forward.Inputs, forward.Outputs, seed));
        return _inner.Backward(forward, dy, seed);
    }
}

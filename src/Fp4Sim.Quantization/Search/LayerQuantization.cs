using Fp4Sim.Quantization.Quantizers;

namespace Fp4Sim.Quantization.Search;

/// <summary>What a linear layer runs with after calibration: its weight and input-activation quantizers (null = float32).</summary>
/// <param name="Layer">The layer's name.</param>
/// <param name="Weight">Weight quantizer (per output channel), or null.</param>
/// <param name="Activation">Input-activation quantizer (per tensor, or per input channel for FPQ), or null.</param>
/// <param name="Rounds">Search rounds run (fewer than asked when a round changed nothing).</param>
/// <param name="Candidates">Candidate quantizers evaluated (each one GEMM over the calibration rows).</param>
/// <param name="CalibrationMse">The layer's output MSE on the calibration rows with these quantizers.</param>
/// <param name="Seconds">Time spent calibrating the layer.</param>
public sealed record LayerQuantization(string Layer, TensorQuantizer? Weight, TensorQuantizer? Activation, int Rounds, int Candidates,
    double CalibrationMse, double Seconds = 0);

// The GPU entry points: grid-stride loops over the portable cast functions (codec.cuh). Compiled by NVRTC at run time;
// g++ never sees this file. Codes travel one per byte (every format these kernels serve has at most 8 bits).
#include "codec.cuh"

extern "C" __global__ void fp4sim_encode_kernel(fp4sim_cast_params params, const fp4sim_u32* input_bits,
                                                fp4sim_u8* codes, fp4sim_u64 count)
{
    for (fp4sim_u64 i = blockIdx.x * (fp4sim_u64)blockDim.x + threadIdx.x; i < count; i += (fp4sim_u64)gridDim.x * blockDim.x)
        codes[i] = (fp4sim_u8)fp4sim_encode_f32(params, input_bits[i], 0u);
}

extern "C" __global__ void fp4sim_decode_kernel(fp4sim_format format, const fp4sim_u8* codes,
                                                fp4sim_u32* output_bits, fp4sim_u64 count)
{
    for (fp4sim_u64 i = blockIdx.x * (fp4sim_u64)blockDim.x + threadIdx.x; i < count; i += (fp4sim_u64)gridDim.x * blockDim.x)
        output_bits[i] = fp4sim_decode_f32(format, codes[i]);
}

// extern "C" entry points over the portable cast functions for a g++ build on the host: the tests (and machines
// without a GPU) run the exact arithmetic the CUDA kernels run, and compare it bit for bit with the C# reference.
#include <stddef.h>
#include "codec.cuh"

extern "C" {

// The size of the parameter struct, so the loader can check that its C# mirror has the same layout.
size_t fp4sim_cast_params_size(void) { return sizeof(fp4sim_cast_params); }

// Encodes n float32 values (given as bits); random_bits may be null unless params->mode is FP4SIM_SR.
void fp4sim_encode_f32_array(const fp4sim_cast_params* params, const fp4sim_u32* input_bits,
                             const fp4sim_u32* random_bits, fp4sim_u32* codes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        codes[i] = fp4sim_encode_f32(*params, input_bits[i], random_bits ? random_bits[i] : 0u);
}

// Decodes n codes to float32 bits.
void fp4sim_decode_f32_array(const fp4sim_format* format, const fp4sim_u32* codes, fp4sim_u32* output_bits, size_t n)
{
    for (size_t i = 0; i < n; i++) output_bits[i] = fp4sim_decode_f32(*format, codes[i]);
}

}

// Portability layer: the arithmetic headers compile as CUDA device code (nvcc, NVRTC) and as plain C++ (g++), so the
// host tests can check them bit for bit against the C# reference on machines without a GPU.
#pragma once

#if defined(__CUDACC__) || defined(__CUDACC_RTC__)
#define FP4SIM_HD __host__ __device__ __forceinline__
#else
#define FP4SIM_HD static inline
#endif

// NVRTC ships no <stdint.h>, so the headers use their own fixed-width names.
typedef unsigned char fp4sim_u8;
typedef unsigned int fp4sim_u32;
typedef int fp4sim_i32;
typedef unsigned long long fp4sim_u64;
typedef long long fp4sim_i64;

FP4SIM_HD fp4sim_u32 fp4sim_float_to_bits(float x)
{
#if defined(__CUDA_ARCH__)
    return __float_as_uint(x);
#else
    fp4sim_u32 bits;
    __builtin_memcpy(&bits, &x, sizeof bits);
    return bits;
#endif
}

FP4SIM_HD float fp4sim_bits_to_float(fp4sim_u32 bits)
{
#if defined(__CUDA_ARCH__)
    return __uint_as_float(bits);
#else
    float x;
    __builtin_memcpy(&x, &bits, sizeof x);
    return x;
#endif
}

FP4SIM_HD double fp4sim_bits_to_double(fp4sim_u64 bits)
{
#if defined(__CUDA_ARCH__)
    return __longlong_as_double((long long)bits);
#else
    double x;
    __builtin_memcpy(&x, &bits, sizeof x);
    return x;
#endif
}

// Leading zeros of a nonzero 64-bit value (BitOperations.LeadingZeroCount).
FP4SIM_HD int fp4sim_clz64(fp4sim_u64 x)
{
#if defined(__CUDA_ARCH__)
    return __clzll((long long)x);
#else
    return __builtin_clzll(x);
#endif
}

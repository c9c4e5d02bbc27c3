using System.Diagnostics;
using System.Runtime.InteropServices;
using Fp4Sim.Gpu.Native;

namespace Fp4Sim.Gpu;

/// <summary>
/// A CUDA context on device 0 with the cast kernels compiled by NVRTC from the embedded sources. Methods return the
/// kernel time measured with CUDA events (transfers excluded). Every failure is a one-line <see cref="GpuException"/>.
/// </summary>
public sealed unsafe class GpuSession : IDisposable
{
    private const int ThreadsPerBlock = 256;
    private readonly CudaDriver _driver;
    private readonly nint _context;
    private nint _module;
    private nint _encodeKernel, _decodeKernel;

    /// <summary>The device this session runs on.</summary>
    public GpuInfo Info { get; }

    /// <summary>Why the GPU path cannot run here ("no CUDA driver found (…)", no device, …), or null when a driver and device exist.</summary>
    public static string? UnavailableReason() => CudaDriver.Unavailable();

    /// <summary>Describes device 0 without compiling anything.</summary>
    public static GpuInfo QueryInfo()
    {
        CudaDriver d = CudaDriver.Instance;
        int device, version;
        d.Check(d.cuDeviceGet(&device, 0), "cuDeviceGet");
        d.Check(d.cuDriverGetVersion(&version), "cuDriverGetVersion");
        nuint memory;
        d.Check(d.cuDeviceTotalMem(&memory, device), "cuDeviceTotalMem_v2");
        string nvrtc;
        try { nvrtc = Nvrtc.Instance.Version; }
        catch (GpuException e) { nvrtc = $"unavailable: {e.Message}"; }
        double bandwidth = 2.0 * d.Attribute(device, CudaDriver.AttributeMemoryClockKHz) * 1e3
                         * d.Attribute(device, CudaDriver.AttributeBusWidthBits) / 8 / 1e9;
        return new GpuInfo(d.DeviceName(device),
            d.Attribute(device, CudaDriver.AttributeComputeCapabilityMajor), d.Attribute(device, CudaDriver.AttributeComputeCapabilityMinor),
            (long)memory, d.Attribute(device, CudaDriver.AttributeMultiprocessorCount),
            $"{version / 1000}.{version % 1000 / 10}", nvrtc, bandwidth);
    }

    private GpuSession(CudaDriver driver, nint context, GpuInfo info)
    {
        _driver = driver;
        _context = context;
        Info = info;
    }

    /// <summary>Creates the context and compiles the cast kernels for the device's architecture.</summary>
    public static GpuSession Open()
    {
        GpuInfo info = QueryInfo();
        CudaDriver d = CudaDriver.Instance;
        Nvrtc nvrtc = Nvrtc.Instance;
        int device;
        nint context;
        d.Check(d.cuDeviceGet(&device, 0), "cuDeviceGet");
        d.Check(d.cuCtxCreate(&context, 0, device), "cuCtxCreate_v2");
        var session = new GpuSession(d, context, info);
        try
        {
            var headers = KernelSources.Headers.ToDictionary(h => h, KernelSources.Text);
            byte[] cubin = nvrtc.CompileToCubin(KernelSources.CastKernels, KernelSources.Text(KernelSources.CastKernels), headers,
                info.ComputeCapabilityMajor * 10 + info.ComputeCapabilityMinor);
            nint module;
            fixed (byte* image = cubin) d.Check(d.cuModuleLoadData(&module, image), "cuModuleLoadData");
            session._module = module;
            session._encodeKernel = session.Function("fp4sim_encode_kernel");
            session._decodeKernel = session.Function("fp4sim_decode_kernel");
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Encodes float32 bit patterns to one code per byte on the GPU; returns the kernel seconds.</summary>
    public double Encode(CastParameters parameters, ReadOnlySpan<uint> inputBits, Span<byte> codes)
    {
        if (codes.Length < inputBits.Length) throw new ArgumentException("codes is shorter than the input");
        ulong count = (ulong)inputBits.Length;
        using var input = new DeviceBuffer(_driver, count * 4);
        using var output = new DeviceBuffer(_driver, Math.Max(count, 1));
        fixed (uint* source = inputBits) input.Upload(source, count * 4);
        ulong inputAddress = input.Address, outputAddress = output.Address;
        void** arguments = stackalloc void*[] { &parameters, &inputAddress, &outputAddress, &count };
        double seconds = Launch(_encodeKernel, count, arguments);
        fixed (byte* destination = codes) output.Download(destination, count);
        return seconds;
    }

    /// <summary>Decodes one code per byte to float32 bit patterns on the GPU; returns the kernel seconds.</summary>
    public double Decode(FormatParameters format, ReadOnlySpan<byte> codes, Span<uint> outputBits)
    {
        if (outputBits.Length < codes.Length) throw new ArgumentException("outputBits is shorter than the codes");
        ulong count = (ulong)codes.Length;
        using var input = new DeviceBuffer(_driver, Math.Max(count, 1));
        using var output = new DeviceBuffer(_driver, Math.Max(count * 4, 4));
        fixed (byte* source = codes) input.Upload(source, count);
        ulong inputAddress = input.Address, outputAddress = output.Address;
        void** arguments = stackalloc void*[] { &format, &inputAddress, &outputAddress, &count };
        double seconds = Launch(_decodeKernel, count, arguments);
        fixed (uint* destination = outputBits) output.Download(destination, count * 4);
        return seconds;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_module != 0) _driver.cuModuleUnload(_module);
        _module = 0;
        if (_context != 0) _driver.cuCtxDestroy(_context);
    }

    private nint Function(string name)
    {
        nint function;
        fixed (byte* n = CudaDriver.Utf8(name)) _driver.Check(_driver.cuModuleGetFunction(&function, _module, n), $"cuModuleGetFunction({name})");
        return function;
    }

    private double Launch(nint kernel, ulong count, void** arguments)
    {
        // A grid-stride loop: enough blocks to fill the device, not one thread per element.
        uint blocks = (uint)Math.Clamp((long)((count + ThreadsPerBlock - 1) / ThreadsPerBlock), 1, Info.Multiprocessors * 32L);
        nint start, stop;
        _driver.Check(_driver.cuEventCreate(&start, 0), "cuEventCreate");
        _driver.Check(_driver.cuEventCreate(&stop, 0), "cuEventCreate");
        try
        {
            _driver.Check(_driver.cuEventRecord(start, 0), "cuEventRecord");
            _driver.Check(_driver.cuLaunchKernel(kernel, blocks, 1, 1, ThreadsPerBlock, 1, 1, 0, 0, arguments, null), "cuLaunchKernel");
            _driver.Check(_driver.cuEventRecord(stop, 0), "cuEventRecord");
            _driver.Check(_driver.cuEventSynchronize(stop), "cuEventSynchronize");
            _driver.Check(_driver.cuCtxSynchronize(), "cuCtxSynchronize");
            float milliseconds;
            _driver.Check(_driver.cuEventElapsedTime(&milliseconds, start, stop), "cuEventElapsedTime");
            return milliseconds / 1e3;
        }
        finally
        {
            _driver.cuEventDestroy(start);
            _driver.cuEventDestroy(stop);
        }
    }

    /// <summary>Device memory freed on dispose.</summary>
    private sealed class DeviceBuffer : IDisposable
    {
        private readonly CudaDriver _driver;
        public ulong Address { get; }

        public DeviceBuffer(CudaDriver driver, ulong bytes)
        {
            _driver = driver;
            ulong address;
            driver.Check(driver.cuMemAlloc(&address, (nuint)bytes), $"cuMemAlloc_v2({bytes} bytes)");
            Address = address;
        }

        public void Upload(void* source, ulong bytes) => _driver.Check(_driver.cuMemcpyHtoD(Address, source, (nuint)bytes), "cuMemcpyHtoD_v2");
        public void Download(void* destination, ulong bytes) =>
            _driver.Check(_driver.cuMemcpyDtoH(destination, Address, (nuint)bytes), "cuMemcpyDtoH_v2");
        public void Dispose() => _driver.cuMemFree(Address);
    }
}

using Fp4Sim.Quantization.Model;
using static Fp4Sim.Quantization.Tests.Model.ModelTestFiles;

namespace Fp4Sim.Quantization.Tests.Model;

public sealed class TensorSetTests
{
    [Fact]
    public void Enumerates_in_storage_order_and_looks_up_by_name()
    {
        NamedTensor z = NamedTensor.OfInts("z", [], [1]), a = NamedTensor.OfFloats("a", [2], [1f, 2f]);
        var set = new TensorSet("file.bin", [z, a]);

        Assert.Equal(["z", "a"], set.Keys);
        Assert.Equal([z, a], set.Values);
        Assert.Equal([z, a], set.Select(pair => pair.Value));
        Assert.Equal(2, set.Count);
        Assert.Same(a, set["a"]);
        Assert.True(set.ContainsKey("z"));
        Assert.False(set.TryGetValue("y", out _));
    }

    [Fact]
    public void Duplicate_names_are_refused()
    {
        AssertFails(
            () => _ = new TensorSet("file.bin", [NamedTensor.OfInts("x", [], [1]), NamedTensor.OfInts("x", [], [2])]),
            "file.bin", "tensor name 'x' appears twice");
    }

    [Fact]
    public void A_tensor_s_values_must_match_its_shape()
    {
        Assert.Throws<ArgumentException>(() => NamedTensor.OfFloats("w", [2, 2], new float[3]));
        Assert.Throws<ArgumentException>(() => NamedTensor.OfInts("w", [-1], []));
        Assert.Throws<ArgumentException>(() => NamedTensor.OfInts("", [], [1]));
    }

    [Fact]
    public void Tensors_compare_by_name_shape_dtype_and_value_bits()
    {
        NamedTensor tensor = NamedTensor.OfFloats("w", [2], [float.NaN, 0f]);

        Assert.Equal(tensor, NamedTensor.OfFloats("w", [2], [float.NaN, 0f]));
        Assert.NotEqual(tensor, NamedTensor.OfFloats("w", [2], [float.NaN, -0f]));
        Assert.NotEqual(tensor, NamedTensor.OfFloats("w", [1, 2], [float.NaN, 0f]));
        Assert.NotEqual(tensor, NamedTensor.OfFloats("v", [2], [float.NaN, 0f]));
        Assert.NotEqual(NamedTensor.OfInts("i", [1], [0]), NamedTensor.OfFloats("i", [1], [0f]));
        Assert.Equal("w float32 [2]", tensor.ToString());
        Assert.Equal(8, tensor.ByteCount);
    }

    [Fact]
    public void The_shape_is_copied_so_the_caller_cannot_break_it()
    {
        int[] shape = [2];
        NamedTensor tensor = NamedTensor.OfInts("w", shape, [1, 2]);
        shape[0] = 5;
        Assert.Equal([2], tensor.Shape);
    }

    [Theory]
    [InlineData("F32", TensorDType.Float32, 4)]
    [InlineData("I32", TensorDType.Int32, 4)]
    [InlineData("BF16", TensorDType.BFloat16, 2)]
    [InlineData("F8_E4M3", TensorDType.Float8E4M3, 1)]
    [InlineData("U64", TensorDType.UInt64, 8)]
    public void DType_names_and_sizes_agree(string name, TensorDType dtype, int size)
    {
        Assert.True(TensorDTypes.TryParseSafetensorsName(name, out TensorDType parsed));
        Assert.Equal(dtype, parsed);
        Assert.Equal(name, dtype.SafetensorsName());
        Assert.Equal(size, dtype.SizeInBytes());
        Assert.False(TensorDTypes.TryParseSafetensorsName(name.ToLowerInvariant(), out _));
    }

    [Fact]
    public void Every_dtype_has_a_name_and_a_size()
    {
        foreach (TensorDType dtype in Enum.GetValues<TensorDType>())
        {
            Assert.True(TensorDTypes.TryParseSafetensorsName(dtype.SafetensorsName(), out TensorDType back));
            Assert.Equal(dtype, back);
            Assert.InRange(dtype.SizeInBytes(), 1, 8);
        }
    }
}
